/** A run of top-level Markdown blocks that renders the same alone as inside the whole note. */
export interface SourceBlock {
  /**
   * The source of the block: from its first non-blank line to the next block's (the blank lines
   * after it included: an unclosed fence in a list item keeps them, as in the whole note).
   */
  text: string;
  /** 0-based line of its first line in the (normalised) note. */
  line: number;
}

/** What markdown-it's normalize rule does first (line endings, NUL): line numbers agree with it. */
export const normalizeSource = (text: string): string => text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');

const BLANK = /^[ \t]*$/;
/** A fence line (at most 3 spaces of indentation): its character run and what follows. */
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
/** A list item marker at the start of the line (bullet, or ordered `1.` / `1)`), then a space or the end. */
const LIST_MARKER = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;

/** Columns of leading white space (a tab goes to the next multiple of 4, as CommonMark says). */
function indentOf(line: string): number {
  let col = 0;
  for (const ch of line) {
    if (ch === ' ') col++;
    else if (ch === '\t') col += 4 - (col % 4);
    else break;
  }
  return col;
}

interface OpenFence {
  char: string;
  length: number;
  indent: number;
  /**
   * An indented fence may belong to a list item, which a less indented line ends (and the fence
   * with it): from then on we cannot tell its closing line from a new fence, so it never closes.
   */
  unsure: boolean;
}

/**
 * Splits a note into top-level blocks cheaply (one pass over the lines, no parsing), for the
 * preview to render and cache each one on its own. A boundary is only put at blank lines where the
 * next line surely starts a new top-level block: it begins at column 0, is not inside a fenced
 * code block, and is not the next item of a list the block has (a list whose items are separated
 * by blank lines stays one block: it is one loose list). An indented line after a blank line
 * (a list item's continuation, indented code, a nested list) always stays with the block before.
 * Block quotes, tables, headings, paragraphs and reference definitions end at a blank line, as in
 * CommonMark. When in doubt, lines stay together: that is never wrong, only slower.
 */
export function splitBlocks(source: string): SourceBlock[] {
  const text = normalizeSource(source);
  const blocks: SourceBlock[] = [];
  let start = -1; // offset of the current block's first line
  let startLine = 0;
  let fence: OpenFence | null = null;
  let inList = false;
  let blankBefore = false;

  let offset = 0;
  for (let n = 0; offset < text.length; n++) {
    const newline = text.indexOf('\n', offset);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(offset, newline === -1 ? text.length : newline);

    if (fence) {
      const indent = BLANK.test(line) ? Infinity : indentOf(line);
      if (indent < fence.indent) fence.unsure = true;
      const m = FENCE.exec(line);
      if (!fence.unsure && m && m[2][0] === fence.char && m[2].length >= fence.length && BLANK.test(m[3])) fence = null;
    } else if (BLANK.test(line)) {
      blankBefore = start !== -1;
    } else {
      const marker = LIST_MARKER.test(line);
      if (start === -1 || (blankBefore && /^[^ \t]/.test(line) && !(marker && inList))) {
        if (start !== -1) blocks.push({ text: text.slice(start, offset), line: startLine });
        start = offset;
        startLine = n;
        inList = false;
      }
      if (marker) inList = true;
      const m = FENCE.exec(line);
      // A backtick fence's info string has no backtick (else it is inline code).
      if (m && !(m[2][0] === '`' && m[3].includes('`'))) fence = { char: m[2][0], length: m[2].length, indent: m[1].length, unsure: false };
      blankBefore = false;
    }
    offset = lineEnd;
  }
  if (start !== -1) blocks.push({ text: text.slice(start), line: startLine });
  return blocks;
}
