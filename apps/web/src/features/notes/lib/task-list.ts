import type { MarkdownIt, StateCore, Token } from 'markdown-it';

/** A GFM task item as the preview shows it and `POST /api/notes/:id/tasks` finds it. */
export interface TaskItem {
  /** Position among the note's task items, in document order (0-based). */
  index: number;
  /** The item's text as written (after `- [ ] `, first line). */
  text: string;
  checked: boolean;
  /** 0-based source line of the item's marker. */
  line: number;
}

/** The task item a `task_checkbox` token stands for. */
export const taskOf = (token: Token): TaskItem => token.meta as unknown as TaskItem;

/** `[ ]`, `[x]` or `[X]` followed by whitespace (or the end of the paragraph, for an item being typed). */
const MARKER = /^\[([ xX])\](?=\s|$)/;

/**
 * A markdown-it core rule (markdown-it has no maintained task-list plugin): a list item whose
 * first paragraph starts with a task marker gets the class `task-list-item` and a `task_checkbox`
 * token in place of the marker, numbered in document order. Only the first paragraph of an item
 * counts (as in GFM); `[x]` anywhere else stays text, so does a marker inside code.
 */
export function taskListPlugin(md: MarkdownIt): void {
  md.core.ruler.after('inline', 'task_list', (state: StateCore) => {
    const tokens = state.tokens;
    let index = 0;
    for (let i = 2; i < tokens.length; i++) {
      const inline = tokens[i];
      if (inline.type !== 'inline' || tokens[i - 1].type !== 'paragraph_open' || tokens[i - 2].type !== 'list_item_open') continue;
      const match = MARKER.exec(inline.content);
      const first = inline.children?.[0];
      if (!match || !first || first.type !== 'text' || !first.content.startsWith(match[0])) continue;
      const checked = match[1] !== ' ';
      const text = inline.content.slice(match[0].length).split('\n')[0].trim();

      const item = tokens[i - 2];
      item.attrJoin('class', 'task-list-item');
      item.meta = { ...(item.meta as object | null), task: true };
      let parent = i - 3;
      // The enclosing list (the nearest open list at this item's level) is a task list.
      for (let level = item.level - 1; parent >= 0; parent--) {
        const t = tokens[parent];
        if ((t.type === 'bullet_list_open' || t.type === 'ordered_list_open') && t.level === level) {
          if (!String(t.attrGet('class') ?? '').includes('contains-task-list')) t.attrJoin('class', 'contains-task-list');
          break;
        }
      }

      first.content = first.content.slice(match[0].length).replace(/^[ \t]/, '');
      const box = new state.Token('task_checkbox', 'input', 0);
      box.meta = { index, text, checked, line: item.map?.[0] ?? -1 } satisfies TaskItem;
      inline.children?.unshift(box);
      index++;
    }
  });

  md.renderer.rules['task_checkbox'] = (tokens: Token[], idx: number) => {
    const task = taskOf(tokens[idx]);
    const label = md.utils.escapeHtml(task.text || 'Task');
    return (
      `<input type="checkbox" class="task-checkbox" data-task-index="${task.index}"` +
      `${task.checked ? ' checked' : ''} aria-label="${label}"> `
    );
  };
}

/** The task items of a note's text, in document order (what the preview numbers). */
export function findTasks(md: MarkdownIt, text: string): TaskItem[] {
  const tasks: TaskItem[] = [];
  const walk = (tokens: Token[]) => {
    for (const t of tokens) {
      if (t.type === 'task_checkbox') tasks.push(taskOf(t));
      if (t.children) walk(t.children);
    }
  };
  walk(md.parse(text, {}));
  return tasks;
}
