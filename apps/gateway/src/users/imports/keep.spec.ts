import { zipFixture, zipOf } from './__fixtures__/fixtures';
import { IMPORT_FILE_INVALID } from './imports.errors';
import { keepChecklist, parseKeepTakeout } from './keep';

const now = new Date('2026-12-01T10:00:00.000Z');

function failure(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect((error as { code: string }).code).toBe(IMPORT_FILE_INVALID);
    return (error as Error).message;
  }
  throw new Error('expected the read to fail');
}

const note = (fields: Record<string, unknown>) => JSON.stringify({ title: 'T', textContent: 'x', userEditedTimestampUsec: 1717000000000000, ...fields });

describe('parseKeepTakeout', () => {
  const parsed = parseKeepTakeout(zipFixture('keep'), now);
  const byTitle = (title: string) => parsed.notes.find((n) => n.title === title);

  it('reads every note of the Takeout', () => {
    expect(parsed.notes.map((n) => n.title).sort()).toEqual(['', 'Groceries', 'Trip ideas']);
    expect(parsed.skipped).toBe(0);
  });

  it('turns a checklist into a task list, labels into tags, keeps pinned and the times', () => {
    expect(byTitle('Groceries')).toEqual({
      sourceId: expect.stringMatching(/^keep:[\w-]{32}$/),
      origin: '“Groceries” (Takeout/Keep/Groceries.json)',
      title: 'Groceries',
      text: '- [ ] Milk\n- [x] Eggs\n- [ ] Bread',
      tags: ['Home', 'Shopping'],
      isPinned: true,
      isArchived: false,
      createdAt: new Date(1717000000000),
      updatedAt: new Date(1717234567890),
      deletedAt: null,
    });
  });

  it('keeps text as it is, archived as archived; a trashed note goes to the trash now', () => {
    expect(byTitle('Trip ideas')).toMatchObject({ text: 'Lisbon in May.\nTake the tram 28.', isArchived: true, tags: ['Travel'] });
    expect(byTitle('')).toMatchObject({ deletedAt: now, text: "An old thought, already in Keep's trash." });
  });

  it('warns about attachments and the files that are not notes', () => {
    expect(parsed.warnings).toEqual([
      '“Trip ideas” (Takeout/Keep/Trip ideas.json): 1 attachment left out (notes keep text only)',
      "3 files that are not notes (Keep's HTML copies, attachments) left out",
    ]);
  });

  it('gives a note the same source id in every import of the file', () => {
    const again = parseKeepTakeout(zipFixture('keep'), new Date());
    expect(again.notes.map((n) => n.sourceId)).toEqual(parsed.notes.map((n) => n.sourceId));
  });

  it('reads only the Keep folder of a Takeout of several products', () => {
    const zip = zipOf({ 'Takeout/Keep/a.json': note({ title: 'A' }), 'Takeout/Chrome/Settings.json': '{"x":1}' });
    expect(parseKeepTakeout(zip, now).notes.map((n) => n.title)).toEqual(['A']);
  });

  it('falls back to the edit time without createdTimestampUsec', () => {
    const [only] = parseKeepTakeout(zipOf({ 'Keep/a.json': note({}) }), now).notes;
    expect(only.createdAt).toEqual(new Date(1717000000000));
  });

  it.each([
    ['invalid JSON', '{"title": ', 'Keep/bad.json is not valid JSON'],
    ['an array', '[]', 'Keep/bad.json is not a Google Keep note: not a JSON object'],
    ['no edit time', JSON.stringify({ title: 'x', textContent: 'y' }), 'Keep/bad.json is not a Google Keep note: userEditedTimestampUsec missing'],
    ['no text at all', JSON.stringify({ title: 'x', userEditedTimestampUsec: 1 }), 'Keep/bad.json is not a Google Keep note: neither textContent nor listContent'],
    ['a bad checklist', note({ textContent: undefined, listContent: [{ isChecked: true }] }), 'Keep/bad.json is not a Google Keep note: listContent is not a list of {text, isChecked}'],
    ['bad labels', note({ labels: ['x'] }), 'Keep/bad.json is not a Google Keep note: labels is not a list of {name}'],
    ['a string flag', note({ isPinned: 'yes' }), 'Keep/bad.json is not a Google Keep note: isPinned is not true or false'],
    ['an impossible time', note({ userEditedTimestampUsec: 1e30 }), 'Keep/bad.json has an impossible userEditedTimestampUsec'],
  ])('refuses a note with %s, naming the file', (_, content, message) => {
    expect(failure(() => parseKeepTakeout(zipOf({ 'Keep/good.json': note({}), 'Keep/bad.json': content }), now))).toBe(message);
  });

  it('refuses a zip without notes, and a file that is not a zip', () => {
    expect(failure(() => parseKeepTakeout(zipOf({ 'Keep/a.html': '<p>x</p>' }), now))).toBe('The zip has no Google Keep notes (.json files)');
    expect(failure(() => parseKeepTakeout(new TextEncoder().encode('{"title":"not a zip"}'), now))).toBe('The file is not a zip archive');
  });

  it('writes checklist items on one line each', () => {
    expect(keepChecklist([{ text: 'two\nlines', isChecked: false }, { text: ' done ', isChecked: true }])).toBe('- [ ] two lines\n- [x] done');
  });
});
