import { withDeclaredSize, zipOf } from './__fixtures__/fixtures';
import { IMPORT_LIMITS } from './import-limits';
import { IMPORT_FILE_INVALID } from './imports.errors';
import { baseName, entryText, isJunk, readZip } from './zip';

const md = (path: string) => path.endsWith('.md');

/** The 400 a parser answers: its code and message. */
function failure(read: () => unknown): { code: string; message: string } {
  try {
    read();
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error('expected the read to fail');
}

describe('readZip', () => {
  it('unpacks the wanted entries with their times and lists the others', () => {
    const contents = readZip(zipOf({ 'a/one.md': '# One', 'a/two.txt': 'x', 'b/three.md': 'three' }), md);
    expect(contents.entries.map((e) => [e.path, entryText(e.bytes)])).toEqual([
      ['a/one.md', '# One'],
      ['b/three.md', 'three'],
    ]);
    expect(contents.entries[0].modifiedAt?.toISOString()).toBe('2024-06-01T12:00:00.000Z');
    expect(contents.ignored).toEqual(['a/two.txt']);
  });

  it.each([
    ['an empty body', new Uint8Array(0)],
    ['text', new TextEncoder().encode('this is not a zip, just some text that is long enough')],
    ['XML', new TextEncoder().encode('<?xml version="1.0"?><en-export></en-export>')],
  ])('refuses %s: not a zip archive', (_, body) => {
    expect(failure(() => readZip(body, md))).toEqual({ code: IMPORT_FILE_INVALID, message: 'The file is not a zip archive' });
  });

  it('refuses a damaged archive with the reason', () => {
    const zip = zipOf({ 'a.md': 'hello' });
    const cut = zip.slice(0, zip.length - 30);
    expect(failure(() => readZip(cut, md))).toMatchObject({ code: IMPORT_FILE_INVALID, message: expect.stringContaining('cannot be read') });
  });

  it('refuses a zip bomb by the sizes it declares, before unpacking', () => {
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`n${i}.md`, `note ${i}`]));
    const bomb = withDeclaredSize(zipOf(files), IMPORT_LIMITS.maxEntryBytes - 1);
    expect(failure(() => readZip(bomb, md))).toEqual({ code: IMPORT_FILE_INVALID, message: 'The zip unpacks to more than 256 MiB of notes' });
  });

  it('skips one entry declaring more than a note can be', () => {
    const zip = withDeclaredSize(zipOf({ 'big.md': 'x' }), 0xffff_fff0);
    expect(readZip(zip, md)).toMatchObject({ entries: [], tooLarge: ['big.md'] });
  });

  it('never unpacks more than an entry declares', () => {
    const zip = withDeclaredSize(zipOf({ 'a.md': 'x'.repeat(10_000) }), 10);
    expect(readZip(zip, md).entries[0].bytes.length).toBeLessThanOrEqual(10);
  });

  it(`refuses more than ${IMPORT_LIMITS.maxZipEntries} entries`, () => {
    const files = Object.fromEntries(Array.from({ length: IMPORT_LIMITS.maxZipEntries + 1 }, (_, i) => [`f${i}.txt`, '']));
    expect(failure(() => readZip(zipOf(files, 0), md))).toEqual({ code: IMPORT_FILE_INVALID, message: 'The zip has more than 20,000 entries' });
  });

  it('names files and junk', () => {
    expect(baseName('a/b/Trip.plan.md')).toBe('Trip.plan');
    expect(isJunk('__MACOSX/a.md')).toBe(true);
    expect(isJunk('Vault/.obsidian/x.json')).toBe(true);
    expect(isJunk('Vault/a.md')).toBe(false);
    expect(entryText(new TextEncoder().encode('\uFEFFa\r\nb\rc'))).toBe('a\nb\nc');
  });
});
