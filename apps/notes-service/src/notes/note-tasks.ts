/**
 * GFM task list items of a Markdown text: `- [ ] x`, `* [x] x`, `+ [ ] x`, `1. [ ] x`, `1) [X] x`,
 * at any indentation (nested lists) and inside block quotes, but never inside a fenced code block
 * (``` or ~~~, closed by a fence of the same character at least as long).
 */
const TASK = /^((?:[ \t]*>)*[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[)([ xX])\](?=[ \t]|$)(.*)$/;
const FENCE = /^(?:[ \t]*>)*[ \t]*(`{3,}|~{3,})(.*)$/;

export interface TaskItem {
  /** Position among the text's task items (0-based). */
  index: number;
  /** Line number in the text (0-based). */
  line: number;
  checked: boolean;
  /** The item's text after `[ ] `, trimmed. */
  text: string;
}

/** The task items of `text`, in order. */
export function taskItems(text: string): TaskItem[] {
  const items: TaskItem[] = [];
  let fence: { char: string; length: number } | undefined;
  text.split('\n').forEach((raw, line) => {
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const fenceMatch = FENCE.exec(content);
    if (fence) {
      // A closing fence: the same character, at least as long, nothing after it.
      if (fenceMatch && fenceMatch[1][0] === fence.char && fenceMatch[1].length >= fence.length && fenceMatch[2].trim() === '')
        fence = undefined;
      return;
    }
    // An opening ``` fence may not have a backtick in its info string (CommonMark).
    if (fenceMatch && !(fenceMatch[1][0] === '`' && fenceMatch[2].includes('`'))) {
      fence = { char: fenceMatch[1][0], length: fenceMatch[1].length };
      return;
    }
    const task = TASK.exec(content);
    if (task) items.push({ index: items.length, line, checked: task[2] !== ' ', text: task[3].trim() });
  });
  return items;
}

export type TickOutcome = { found: false } | { found: true; text: string; changed: boolean };

/**
 * Ticks (`checked`) or unticks the task item whose text is `itemText` (trimmed), the one nearest
 * `index` when several have that text (the earlier one on a tie), so a tick made on an old copy
 * of the note lands on the right line after other edits. Ticking a ticked item changes nothing.
 */
export function tickTask(text: string, tick: { index: number; text: string; checked: boolean }): TickOutcome {
  const wanted = tick.text.trim();
  const candidates = taskItems(text).filter((item) => item.text === wanted);
  if (candidates.length === 0) return { found: false };
  const item = candidates.reduce((best, c) => (Math.abs(c.index - tick.index) < Math.abs(best.index - tick.index) ? c : best));
  if (item.checked === tick.checked) return { found: true, text, changed: false };
  const lines = text.split('\n');
  const raw = lines[item.line];
  const cr = raw.endsWith('\r') ? '\r' : '';
  const mark = tick.checked ? 'x' : ' ';
  lines[item.line] =
    raw.slice(0, raw.length - cr.length).replace(TASK, (_, head: string, _old: string, rest: string) => `${head}${mark}]${rest}`) + cr;
  return { found: true, text: lines.join('\n'), changed: true };
}
