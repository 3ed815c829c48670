import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';

import { createBlockRenderer } from '../lib/markdown';
import type { NotePreviewProps } from './note-preview';

/**
 * The marks around one update of the preview, for the Performance API: from the new text to the
 * DOM that shows all of it (split + the changed blocks + the DOM update; for a long note first
 * shown in chunks, all of them). RENDER_FIRST_MEASURE is when its first chunk showed.
 */
export const RENDER_MARK = 'markdown-render-start';
export const RENDER_MEASURE = 'markdown-render';
export const RENDER_FIRST_MEASURE = 'markdown-render-first-chunk';
/** Parse time per chunk of a long note's first render: the first blocks show at once, the rest follow between frames. */
const CHUNK_MS = 16;
/** Where there is a User Timing API (every browser; not jsdom). */
const timing = typeof performance !== 'undefined' && typeof performance.mark === 'function' ? performance : null;

const NO_TICKS: NonNullable<NotePreviewProps['ticks']> = new Map();
const ignore = () => undefined;

/**
 * One top-level block of the note. Memoised on its HTML and keyed by its text (see
 * createBlockRenderer): React leaves the DOM of every unchanged block alone.
 */
const MarkdownBlock = memo(function MarkdownBlock({ html }: { html: string }) {
  // markdown-it with html: false escapes every raw tag and refuses javascript:/data: links (lib/markdown.spec.ts).
  return <div className="markdown-block" dangerouslySetInnerHTML={{ __html: html }} />;
});

/**
 * The note rendered (markdown-it, see lib/markdown), block by block: an edit re-renders the block
 * it is in. Task items are real checkboxes: a click asks `onToggleTask`, and `ticks` (optimistic,
 * until the text shows them) overrule the text.
 */
export function MarkdownPreview({ text, ticks = NO_TICKS, onToggleTask = ignore, onTickShown = ignore, disabled }: NotePreviewProps) {
  const root = useRef<HTMLDivElement>(null);
  // One cache per preview: it holds the blocks of the note shown, nothing else.
  const [render] = useState(createBlockRenderer);
  // Which chunk of the text this is: 0 for a new text, one more for each chunk of a long note's
  // first render (the blocks done come from the cache). A text seen again mid-way carries on.
  const [progress, setProgress] = useState({ text, round: 0 });
  const round = progress.text === text ? progress.round : 0;
  const rendered = useMemo(() => {
    if (round === 0) timing?.mark(RENDER_MARK);
    return render(text, CHUNK_MS);
  }, [render, text, round]);

  // After the DOM has the new HTML: the measure (or the next chunk, when the note is not all
  // shown yet), then each box's state (a tick on its way wins).
  useLayoutEffect(() => {
    if (rendered.complete) {
      timing?.measure(RENDER_MEASURE, RENDER_MARK);
      return;
    }
    if (round === 0) timing?.measure(RENDER_FIRST_MEASURE, RENDER_MARK);
    const next = () => setProgress({ text, round: round + 1 });
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(next, { timeout: 100 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(next, 0);
    return () => clearTimeout(id);
  }, [rendered, text, round]);
  useLayoutEffect(() => {
    const boxes = root.current?.querySelectorAll<HTMLInputElement>('input.task-checkbox') ?? [];
    // The boxes are the task items in document order: a block's HTML numbers its own from 0 (so
    // that it stays cached when a task is added above it); the page shows the note's index.
    boxes.forEach((box, i) => {
      const task = rendered.tasks[i];
      if (!task) return;
      const index = String(task.index);
      if (box.dataset['taskIndex'] !== index) box.dataset['taskIndex'] = index;
      const tick = ticks.get(task.index);
      const pending = tick && tick.text === task.text ? tick : undefined;
      // Written only when they change: a long note has hundreds of boxes, most of them as they were.
      const checked = pending ? pending.checked : task.checked;
      if (box.checked !== checked) box.checked = checked;
      if (box.disabled !== Boolean(disabled)) box.disabled = Boolean(disabled);
      if (pending && pending.checked === task.checked) onTickShown(task.index);
    });
  }, [rendered, ticks, disabled, onTickShown]);

  return (
    <div
      ref={root}
      className="markdown-body"
      onClick={(event) => {
        const box = event.target as HTMLElement;
        if (!(box instanceof HTMLInputElement) || !box.classList.contains('task-checkbox')) return;
        const task = rendered.tasks[Number(box.dataset['taskIndex'])];
        if (task && !disabled) onToggleTask(task, box.checked);
      }}
    >
      {/* A block of reference definitions only renders nothing: no empty box for it. */}
      {rendered.blocks.map((block) => block.html && <MarkdownBlock key={block.key} html={block.html} />)}
    </div>
  );
}
