import type { MarkdownIt } from 'markdown-it';
import markdownIt from 'markdown-it';

import type { SourceBlock } from './markdown-blocks';
import { splitBlocks } from './markdown-blocks';
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

/** One block of the preview (see splitBlocks): its HTML and where its task items start. */
export interface RenderedBlock {
  /** Stable while the block's text is: the block's text (and its occurrence, for repeated blocks). */
  key: string;
  /** The block's HTML. Its checkboxes carry block-local `data-task-index`es (`taskOffset` is added in the page). */
  html: string;
  /** Global index of the block's first task item. */
  taskOffset: number;
}

export interface BlocksRender {
  blocks: RenderedBlock[];
  /** The note's task items in document order, with global indices and lines. */
  tasks: TaskItem[];
  /** How many blocks were parsed for this render (the others came from the cache). */
  parsed: number;
  /** False when the time budget ran out: `blocks` are the note's first ones, render again for more. */
  complete: boolean;
}

type References = Record<string, { href: string; title: string }>;

interface CachedBlock {
  html: string;
  /** Block-local task items (index and line within the block). */
  tasks: TaskItem[];
}

/** A definition can be anywhere a block starts (also in a quote or list item): `[label]:`. */
const MAY_DEFINE = /\]:/;
/** How much text a budgeted render parses before it looks at the clock (a few screens of a note, well under a millisecond). */
const MIN_CHUNK_CHARS = 512;

/**
 * The preview's incremental renderer: a note is split into top-level blocks (splitBlocks) and
 * each is rendered by markdown-it on its own, its HTML cached by its source text, so an edit
 * re-parses only the block it is in. The cache keeps exactly the blocks of the last render (a Map
 * rebuilt per render), so it never grows beyond one note.
 *
 * What a block cannot see alone, it is given: reference definitions (`[x]: url`) apply to the
 * whole note, so they are collected from every block first (markdown-it's block pass only, cached
 * too; the first definition of a label wins, as in the whole note) and handed to each block's
 * parse in its env. A block that could use one (it has a `[`) is cached under the definitions too.
 * Task items are numbered per block; the global index is the block's offset plus the local one.
 */
export function createBlockRenderer(markdown: MarkdownIt = md) {
  let cache = new Map<string, CachedBlock>();
  let definitions = new Map<string, References | null>();

  const definitionsOf = (text: string, next: Map<string, References | null>): References | null => {
    let refs = definitions.get(text);
    if (refs === undefined) {
      const env: { references?: References } = {};
      markdown.block.parse(text, markdown, env, []);
      refs = env.references ?? null;
    }
    next.set(text, refs);
    return refs;
  };

  /**
   * Renders `text`; with a `budgetMs`, stops at the first block still to parse once that much time
   * has gone (at least MIN_CHUNK_CHARS of text are parsed first, so a short note always shows whole
   * in one call, however loaded the machine): the first blocks of a long note show at once, the rest
   * come with the next calls (see MarkdownPreview).
   */
  return function render(text: string, budgetMs = Infinity): BlocksRender {
    const deadline = budgetMs === Infinity ? Infinity : performance.now() + budgetMs;
    const sources = splitBlocks(text);

    // Every definition of the note, in document order (the first of a label wins).
    const nextDefinitions = new Map<string, References | null>();
    let references: References | undefined;
    for (const block of sources) {
      if (!MAY_DEFINE.test(block.text)) continue;
      const refs = definitionsOf(block.text, nextDefinitions);
      if (!refs) continue;
      references ??= {};
      for (const label of Object.keys(refs)) if (!(label in references)) references[label] = refs[label];
    }
    definitions = nextDefinitions;
    const referencesKey = references ? JSON.stringify(references) : '';

    const next = new Map<string, CachedBlock>();
    const seen = new Map<string, number>();
    const blocks: RenderedBlock[] = [];
    const tasks: TaskItem[] = [];
    let parsed = 0;
    let parsedChars = 0;
    let complete = true;
    const keyOf = (source: SourceBlock) => (references && source.text.includes('[') ? `${referencesKey}\u0000${source.text}` : source.text);
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i];
      const cacheKey = keyOf(source);
      let entry = next.get(cacheKey) ?? cache.get(cacheKey);
      if (!entry && parsedChars >= MIN_CHUNK_CHARS && performance.now() > deadline) {
        // Out of time: the blocks left keep what the cache has of them, for the next call.
        for (const rest of sources.slice(i)) {
          const kept = cache.get(keyOf(rest));
          if (kept) next.set(keyOf(rest), kept);
        }
        complete = false;
        break;
      }
      if (!entry) {
        const env = references ? { references: { ...references } } : {};
        const tokens = markdown.parse(source.text, env);
        const local: TaskItem[] = [];
        for (const t of tokens) for (const child of t.children ?? []) if (child.type === 'task_checkbox') local.push(taskOf(child));
        entry = { html: markdown.renderer.render(tokens, markdown.options, env), tasks: local };
        parsed++;
        parsedChars += source.text.length;
      }
      next.set(cacheKey, entry);
      const occurrence = seen.get(source.text) ?? 0;
      seen.set(source.text, occurrence + 1);
      const taskOffset = tasks.length;
      for (const task of entry.tasks) tasks.push({ ...task, index: taskOffset + task.index, line: source.line + task.line });
      blocks.push({ key: occurrence ? `${occurrence}\u0000${source.text}` : source.text, html: entry.html, taskOffset });
    }
    cache = next;
    return { blocks, tasks, parsed, complete };
  };
}
