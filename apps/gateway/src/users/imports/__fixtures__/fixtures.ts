import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import type { Zippable } from 'fflate';
import { zipSync } from 'fflate';

/** The sample files of the import specs: small files made for these tests, zipped when a test needs them. */
export const FIXTURES = __dirname;

/** Every file under `dir`, by its path relative to `dir` (with `/`). */
function filesOf(dir: string): [string, Uint8Array][] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? filesOf(path).map(([inner, bytes]): [string, Uint8Array] => [`${name}/${inner}`, bytes])
      : [[name, new Uint8Array(readFileSync(path))] as [string, Uint8Array]];
  });
}

/** A zip of the fixture folder `name` (`keep`, `markdown`), entries dated 2024-06-01 12:00 so it is the same zip every time. */
export function zipFixture(name: string, extra: Record<string, string | Uint8Array> = {}): Uint8Array {
  const root = join(FIXTURES, name);
  const files: Zippable = {};
  for (const [path, bytes] of filesOf(root)) files[relative(root, join(root, path)).split('\\').join('/')] = bytes;
  for (const [path, content] of Object.entries(extra))
    files[path] = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return zipSync(files, { mtime: new Date(Date.UTC(2024, 5, 1, 12, 0, 0)) });
}

/** The sample Evernote export. */
export const enexFixture = (): Buffer => readFileSync(join(FIXTURES, 'sample.enex'));

/** A zip of `files` (path → text); `level: 0` stores them (fast for thousands of entries). */
export function zipOf(files: Record<string, string | Uint8Array>, level: 0 | 6 = 6): Uint8Array {
  const zippable: Zippable = {};
  for (const [path, content] of Object.entries(files))
    zippable[path] = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return zipSync(zippable, { mtime: new Date(Date.UTC(2024, 5, 1, 12, 0, 0)), level });
}

/**
 * The zip with every central-directory record claiming `size` unpacked bytes: how a zip bomb
 * looks to the reader (the real data is tiny).
 */
export function withDeclaredSize(zip: Uint8Array, size: number): Uint8Array {
  const copy = new Uint8Array(zip);
  const view = new DataView(copy.buffer);
  for (let offset = 0; offset + 46 <= copy.length; offset++) {
    if (view.getUint32(offset, true) !== 0x02014b50) continue;
    view.setUint32(offset + 24, size, true);
    offset += 45;
  }
  return copy;
}

/** The sample Todoist project export (CSV with a byte-order mark and CRLF line ends, as Todoist writes it). */
export const todoistFixture = (): Buffer => readFileSync(join(FIXTURES, 'todoist.csv'));
