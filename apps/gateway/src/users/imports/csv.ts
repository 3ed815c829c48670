import { invalidFile } from './imports.errors';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The file as text: UTF-8 (anything else is not a CSV we read: 400), without a byte-order mark. */
export function csvText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    invalidFile('The file is not a CSV file (it is not UTF-8 text)');
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) invalidFile('The file is not a CSV file (it has binary content)');
  return text;
}

/**
 * The rows of RFC 4180 CSV text: fields separated by `delimiter`, rows by CRLF, LF or CR; a field
 * in double quotes may hold the delimiter, line breaks (kept as `\n`) and `""` for a quote. A
 * quote left open is a 400. Stops with a 400 once there are more than `maxRows` rows.
 */
export function parseCsv(text: string, maxRows: number, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = () => {
    row.push(field);
    rows.push(row);
    if (rows.length > maxRows) invalidFile(`The file has more than ${maxRows.toLocaleString('en')} rows, the most one import takes`);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else if (char === '\r') {
        field += '\n';
        if (text[i + 1] === '\n') i++;
      } else {
        field += char;
      }
      i++;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === delimiter) {
      row.push(field);
      field = '';
    } else if (char === '\r' || char === '\n') {
      endRow();
      if (char === '\r' && text[i + 1] === '\n') i++;
    } else field += char;
    i++;
  }
  if (quoted) invalidFile('The CSV file is cut off: a quoted field is never closed');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** A row with nothing in it (Todoist puts one between its items). */
export const isBlankRow = (row: readonly string[]) => row.every((cell) => cell.trim() === '');
