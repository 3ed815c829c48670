import { enexFixture } from './__fixtures__/fixtures';
import { enexTime, parseEnex } from './enex';
import { enmlToMarkdown } from './enml-markdown';
import { IMPORT_FILE_INVALID } from './imports.errors';

function failure(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect((error as { code: string }).code).toBe(IMPORT_FILE_INVALID);
    return (error as Error).message;
  }
  throw new Error('expected the read to fail');
}

const enex = (notes: string) => `<?xml version="1.0" encoding="UTF-8"?><en-export export-date="20240601T120000Z">${notes}</en-export>`;

describe('parseEnex', () => {
  const parsed = parseEnex(enexFixture());
  const byTitle = (title: string) => parsed.notes.find((n) => n.title === title);

  it('reads every note with its tags and times', () => {
    expect(parsed.notes.map((n) => n.title)).toEqual(['Packing list', 'Formatting & more', 'New checklist']);
    expect(byTitle('Packing list')).toMatchObject({
      sourceId: expect.stringMatching(/^enex:[\w-]{32}$/),
      tags: ['travel'],
      createdAt: new Date('2024-05-10T08:15:00Z'),
      updatedAt: new Date('2024-05-12T09:00:00Z'),
      isPinned: false,
      deletedAt: null,
    });
    expect(byTitle('Formatting & more')?.tags).toEqual(['work', 'work/reports']);
    expect(byTitle('New checklist')?.updatedAt).toEqual(new Date('2024-05-20T07:00:00Z'));
  });

  it('turns checkboxes and Evernote 10 checklists into task lists', () => {
    expect(byTitle('Packing list')?.text).toBe('- [x] Passport\n- [ ] Charger\n- [ ] Sunscreen');
    expect(byTitle('New checklist')?.text).toBe('- [x] Book hotel\n- [ ] Rent a car');
  });

  it('turns formatting into Markdown, and no HTML survives', () => {
    const text = byTitle('Formatting & more')?.text ?? '';
    expect(text).toBe(
      [
        '## Quarterly report',
        '',
        'Some **bold**, some _italic_ and ~~struck~~ text, a [link](https://example.com/report).',
        '',
        '- First point',
        '- Second point',
        '',
        'Literal \\<b>not bold\\</b> stays text.',
      ].join('\n'),
    );
    expect(text).not.toMatch(/<(?!\/?b>)|alert|en-media/);
  });

  it('warns about the attachment it leaves out', () => {
    expect(parsed.warnings).toEqual(['“Formatting & more” (note 2): 1 attachment left out (notes keep text only)']);
  });

  it('identifies a note by title, created time and content', () => {
    const again = parseEnex(enexFixture().toString('utf8'));
    expect(again.notes.map((n) => n.sourceId)).toEqual(parsed.notes.map((n) => n.sourceId));
    const changed = parseEnex(enex('<note><title>A</title><created>20240101T000000Z</created><content>x</content></note>'));
    const other = parseEnex(enex('<note><title>A</title><created>20240101T000000Z</created><content>y</content></note>'));
    expect(changed.notes[0].sourceId).not.toBe(other.notes[0].sourceId);
  });

  it('takes a note without content, title or times', () => {
    const [note] = parseEnex(enex('<note></note>')).notes;
    expect(note).toMatchObject({ title: '', text: '', createdAt: new Date('2024-06-01T12:00:00Z') });
  });

  it('answers an empty export with no notes', () => {
    expect(parseEnex(enex(''))).toEqual({ notes: [], skipped: 0, warnings: [] });
  });

  it.each([
    ['broken XML', '<en-export><note><title>x</note></en-export>', /^The file is not valid XML: .+ \(line 1\)$/],
    ['text', 'just some text', /^The file is not valid XML/],
    ['another XML document', '<?xml version="1.0"?><html><body/></html>', /^The file is not an Evernote export: no <en-export> element$/],
  ])('refuses %s with the reason', (_, body, message) => {
    expect(failure(() => parseEnex(body))).toMatch(message);
  });

  it('reads ENEX times', () => {
    expect(enexTime('20240105T101500Z')).toEqual(new Date('2024-01-05T10:15:00Z'));
    expect(enexTime('soon')).toBeNull();
    expect(enexTime(undefined)).toBeNull();
  });
});

describe('enmlToMarkdown', () => {
  it('converts ENML (XHTML) to Markdown without HTML', () => {
    expect(enmlToMarkdown('<en-note><div>a<br/>b</div><hr/><pre><code>x &lt; y</code></pre></en-note>')).toBe('a  \nb\n\n---\n\n```\nx < y\n```');
    expect(enmlToMarkdown('<en-note><span style="text-decoration: line-through;">old</span> <span style="font-weight:bold">new</span></en-note>')).toBe(
      '~~old~~ **new**',
    );
    expect(enmlToMarkdown('<en-note><iframe src="https://evil.example"></iframe><img src="x" onerror="alert(1)"/>ok</en-note>')).toBe('![](x)ok');
    expect(enmlToMarkdown('<en-note><ol start="3"><li>c</li><li>d</li></ol></en-note>')).toBe('3. c\n4. d');
  });
});
