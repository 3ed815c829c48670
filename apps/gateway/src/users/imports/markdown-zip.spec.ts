import { zipFixture, zipOf } from './__fixtures__/fixtures';
import { IMPORT_FILE_INVALID } from './imports.errors';
import { frontMatterTags, parseMarkdownZip, splitFrontMatter } from './markdown-zip';

const now = new Date('2026-12-01T10:00:00.000Z');
const zipTime = new Date('2024-06-01T12:00:00.000Z');

describe('parseMarkdownZip', () => {
  const parsed = parseMarkdownZip(zipFixture('markdown'), now);
  const byPath = (path: string) => parsed.notes.find((n) => n.origin === path);

  it('reads every Markdown file, nothing else', () => {
    expect(parsed.notes.map((n) => n.origin).sort()).toEqual([
      'Vault/Personal/Broken.md',
      'Vault/Welcome.md',
      'Vault/Work/Meeting notes.md',
      'Vault/Work/Projects/Roadmap.md',
    ]);
  });

  it('honours the front matter: title, tags, pinned, created', () => {
    expect(byPath('Vault/Welcome.md')).toEqual({
      sourceId: expect.stringMatching(/^md:[\w-]{32}$/),
      origin: 'Vault/Welcome.md',
      title: 'Welcome to the vault',
      text: 'This note has **front matter**.\n\n- [ ] read the rest\n- [x] open the vault',
      tags: ['intro', 'getting started'],
      isPinned: true,
      isArchived: false,
      createdAt: new Date('2024-03-01T09:00:00Z'),
      updatedAt: new Date('2024-03-01T09:00:00Z'),
      deletedAt: null,
    });
  });

  it('takes the first heading as the title, comma tags, and the folder as a nested tag', () => {
    expect(byPath('Vault/Work/Projects/Roadmap.md')).toMatchObject({
      title: 'Roadmap 2024',
      text: '1. Ship imports\n2. Ship exports',
      tags: ['plans', 'q3', 'Work/Projects'],
      createdAt: zipTime,
    });
  });

  it('falls back to the file name; a broken front matter is text, with a warning', () => {
    expect(byPath('Vault/Work/Meeting notes.md')).toMatchObject({ title: 'Meeting notes', tags: ['Work'] });
    expect(byPath('Vault/Personal/Broken.md')).toMatchObject({ title: 'Broken', text: expect.stringContaining('title: [unclosed') });
    expect(parsed.warnings).toEqual([
      expect.stringMatching(/^Vault\/Personal\/Broken\.md: front matter is not valid YAML \(.+\); imported as text$/),
      '1 file that are not Markdown (images, attachments) left out',
    ]);
  });

  it('imports MicroNote’s own Markdown export back as the same notes', () => {
    const exported = [
      '---',
      'id: "42"',
      'title: "Plan"',
      'tags: ["a", "b/c"]',
      'pinned: false',
      'archived: true',
      'createdAt: 2026-01-02T03:04:05.000Z',
      'updatedAt: 2026-01-03T03:04:05.000Z',
      'deletedAt: 2026-01-04T03:04:05.000Z',
      '---',
      '',
      '# Plan',
      '',
      'body',
      '',
    ].join('\n');
    const { notes, warnings } = parseMarkdownZip(zipOf({ 'notes/Plan-42.md': exported, 'todos.md': '# Todos\n' }), now);
    expect(notes).toHaveLength(1);
    expect(warnings).toEqual(['todos.md of a MicroNote export left out (todos come back with the JSON export)']);
    expect(notes[0]).toMatchObject({
      sourceId: '42',
      title: 'Plan',
      text: 'body',
      tags: ['a', 'b/c'],
      isArchived: true,
      createdAt: new Date('2026-01-02T03:04:05.000Z'),
      updatedAt: new Date('2026-01-03T03:04:05.000Z'),
      deletedAt: new Date('2026-01-04T03:04:05.000Z'),
    });
  });

  it('trusts a lone id in the front matter of another app never', () => {
    const [note] = parseMarkdownZip(zipOf({ 'a.md': '---\nid: "7"\n---\ntext' }), now).notes;
    expect(note.sourceId).toMatch(/^md:/);
  });

  it('gives a file the same source id in every import', () => {
    expect(parseMarkdownZip(zipFixture('markdown'), new Date()).notes.map((n) => n.sourceId)).toEqual(parsed.notes.map((n) => n.sourceId));
  });

  it('refuses a zip without Markdown files, and a file that is not a zip', () => {
    const reasons = [() => parseMarkdownZip(zipOf({ 'a.txt': 'x' }), now), () => parseMarkdownZip(new TextEncoder().encode('# not a zip'), now)].map((read) => {
      try {
        read();
        return 'no error';
      } catch (error) {
        return `${(error as { code: string }).code}: ${(error as Error).message}`;
      }
    });
    expect(reasons).toEqual([`${IMPORT_FILE_INVALID}: The zip has no Markdown files (.md)`, `${IMPORT_FILE_INVALID}: The file is not a zip archive`]);
  });
});

describe('front matter', () => {
  it('splits it off, and leaves what is not one', () => {
    expect(splitFrontMatter('---\ntitle: A\n---\nbody')).toEqual({ data: { title: 'A' }, body: 'body' });
    expect(splitFrontMatter('---\n---\nbody')).toEqual({ data: {}, body: '---\n---\nbody' });
    expect(splitFrontMatter('no front matter')).toEqual({ data: {}, body: 'no front matter' });
    expect(splitFrontMatter('---\n- a list\n---\nbody')).toMatchObject({ data: {}, problem: 'front matter is not a set of fields' });
  });

  it('reads tags as a list or a comma string', () => {
    expect(frontMatterTags(['a', 2, { x: 1 }])).toEqual(['a', '2']);
    expect(frontMatterTags('a, b,')).toEqual(['a', 'b']);
    expect(frontMatterTags(undefined)).toEqual([]);
  });
});
