import { unzipSync } from 'fflate';

import { IMPORT_LIMITS } from './import-limits';
import { invalidFile } from './imports.errors';

export interface ZipEntry {
  path: string;
  bytes: Uint8Array;
  /** The entry's modification time as the zip records it (local time read as UTC), if readable. */
  modifiedAt: Date | null;
}

export interface ZipContents {
  /** The entries `wanted` chose, unpacked, in the archive's order. */
  entries: ZipEntry[];
  /** Paths of the other files (folders not counted). */
  ignored: string[];
  /** Wanted entries too large to be a note (over IMPORT_LIMITS.maxEntryBytes unpacked): not unpacked. */
  tooLarge: string[];
}

/** MS-DOS date and time → a Date (seconds are stored halved); null for the zero date. */
function dosTime(time: number, date: number): Date | null {
  if (date === 0) return null;
  const result = new Date(
    Date.UTC(1980 + (date >> 9), ((date >> 5) & 0x0f) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2),
  );
  return Number.isNaN(result.getTime()) ? null : result;
}

/**
 * Modification times by path from the central directory (classic zip records; zip64 archives and
 * anything unreadable give none: the times are a nicety, the entries come from fflate).
 */
function modificationTimes(data: Uint8Array): Map<string, Date> {
  const times = new Map<string, Date>();
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let end = data.length - 22;
  const floor = Math.max(0, data.length - 65_557);
  while (end >= floor && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < floor) return times;
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  for (let i = 0; i < count && offset + 46 <= data.length; i++) {
    if (view.getUint32(offset, true) !== 0x02014b50) break;
    const nameLength = view.getUint16(offset + 28, true);
    const next = offset + 46 + nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
    const modified = dosTime(view.getUint16(offset + 12, true), view.getUint16(offset + 14, true));
    if (modified) times.set(decoder.decode(data.subarray(offset + 46, offset + 46 + nameLength)), modified);
    offset = next;
  }
  return times;
}

class ZipLimitError extends Error {}

/**
 * Unpacks the entries of a zip that `wanted` chooses, within IMPORT_LIMITS: at most
 * `maxZipEntries` entries in all, and the wanted ones at most `maxUnzippedBytes` together by the
 * sizes the archive declares. fflate unpacks each entry into a buffer of exactly its declared size
 * (it cannot grow), so an entry that lies about its size cannot unpack to more. Anything else
 * wrong with the archive is a 400 with the reason, never a 500.
 */
export function readZip(data: Uint8Array, wanted: (path: string) => boolean): ZipContents {
  if (data.length < 22 || data[0] !== 0x50 || data[1] !== 0x4b) invalidFile('The file is not a zip archive');
  const contents: ZipContents = { entries: [], ignored: [], tooLarge: [] };
  let seen = 0;
  let unzipped = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(data, {
      filter: (file) => {
        if (++seen > IMPORT_LIMITS.maxZipEntries) {
          throw new ZipLimitError(`The zip has more than ${IMPORT_LIMITS.maxZipEntries.toLocaleString('en')} entries`);
        }
        if (file.name.endsWith('/')) return false;
        if (!wanted(file.name)) {
          contents.ignored.push(file.name);
          return false;
        }
        if (file.originalSize > IMPORT_LIMITS.maxEntryBytes) {
          contents.tooLarge.push(file.name);
          return false;
        }
        unzipped += file.originalSize;
        if (unzipped > IMPORT_LIMITS.maxUnzippedBytes) {
          throw new ZipLimitError(`The zip unpacks to more than ${IMPORT_LIMITS.maxUnzippedBytes / 1024 / 1024} MiB of notes`);
        }
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ZipLimitError) invalidFile(error.message);
    invalidFile(`The zip archive cannot be read (${(error as Error).message || 'damaged'})`);
  }
  const times = modificationTimes(data);
  for (const [path, bytes] of Object.entries(files)) contents.entries.push({ path, bytes, modifiedAt: times.get(path) ?? null });
  return contents;
}

const utf8 = new TextDecoder('utf-8');

/** An entry's text: UTF-8 (invalid bytes replaced), without a byte-order mark, line ends as `\n`. */
export function entryText(bytes: Uint8Array): string {
  return utf8
    .decode(bytes)
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
}

/** The file name of a path without its folders and extension (`a/b/Trip.md` → `Trip`). */
export function baseName(path: string): string {
  const file = path.split('/').pop() ?? path;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

/** Left out of every import: macOS's resource forks and hidden files. */
export function isJunk(path: string): boolean {
  return path.startsWith('__MACOSX/') || path.split('/').some((part) => part.startsWith('.'));
}
