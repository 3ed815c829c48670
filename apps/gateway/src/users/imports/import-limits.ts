import { NOTE_LIMITS } from '@micronote/contracts';

/**
 * Limits of `POST /api/users/me/import?from=` beyond the body size: what a file may unpack to, so
 * a zip bomb or a file of a million tiny entries is refused before it costs memory or time.
 */
export const IMPORT_LIMITS = {
  /** The request body (413 above). */
  maxBytes: NOTE_LIMITS.importFile.maxBytes,
  /** Entries of a zip, of every kind (400 above). */
  maxZipEntries: 20_000,
  /** Bytes the entries read from a zip (.json, .md) may unpack to, together (400 above). */
  maxUnzippedBytes: 256 * 1024 * 1024,
  /** Bytes one such entry may unpack to; a larger one is skipped with a warning (no note is that long). */
  maxEntryBytes: 8 * 1024 * 1024,
  /** Notes one file may hold (400 above), as many as the JSON import takes. */
  maxNotes: 10_000,
  /** Todos (Todoist tasks) one file may hold (400 above), as many as the JSON import takes. */
  maxTodos: 10_000,
  /** Rows of one CSV file, blank ones included (400 above): Todoist writes a blank row after every item. */
  maxCsvRows: 50_000,
  /** Warnings in an answer; the rest are counted in one last line. */
  maxWarnings: 50,
} as const;
