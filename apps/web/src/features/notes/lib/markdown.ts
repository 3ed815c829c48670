import type { MarkdownIt } from 'markdown-it';
import markdownIt from 'markdown-it';

import type { TaskItem } from './task-list';
import { findTasks as findTaskItems, taskListPlugin, taskOf } from './task-list';

/**
 * The notes' Markdown: CommonMark plus the GFM subset markdown-it's default preset has (tables,
 * strikethrough), autolinks (linkify), fenced code, and task lists (taskListPlugin). Raw HTML is
 * not parsed (`html: false`): `<script>` shows as text. markdown-it's validateLink refuses
 * javascript:, vbscript:, file: and non-image data: URLs, so such a link stays text. Links open
 * in a new tab without giving it a handle on this one.
 */
export function createMarkdown(): MarkdownIt {
  const md = markdownIt('default', { html: false, linkify: true, typographer: false });
  md.use(taskListPlugin);
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet('target', '_blank');
    tokens[idx].attrSet('rel', 'noopener noreferrer');
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}

const md = createMarkdown();

/** The preview's HTML of a note's text. */
export const renderMarkdown = (text: string): string => md.render(text);

/** The task items of a note's text, in document order. */
export const findTasks = (text: string): TaskItem[] => findTaskItems(md, text);

/** One parse for both: the preview's HTML and the task items in it (what a tick sends). */
export function renderWithTasks(text: string): { html: string; tasks: TaskItem[] } {
  const env = {};
  const tokens = md.parse(text, env);
  const tasks: TaskItem[] = [];
  for (const t of tokens) for (const child of t.children ?? []) if (child.type === 'task_checkbox') tasks.push(taskOf(child));
  return { html: md.renderer.render(tokens, md.options, env), tasks };
}
