import { useLayoutEffect, useMemo, useRef } from 'react';

import { renderWithTasks } from '../lib/markdown';
import type { NotePreviewProps } from './note-preview';

/** The marks around one render of the preview (parse + render + the DOM update), for the Performance API. */
export const RENDER_MARK = 'markdown-render-start';
export const RENDER_MEASURE = 'markdown-render';
/** Where there is a User Timing API (every browser; not jsdom). */
const timing = typeof performance !== 'undefined' && typeof performance.mark === 'function' ? performance : null;

/**
 * The note rendered (markdown-it, see lib/markdown). Task items are real checkboxes: a click asks
 * `onToggleTask`, and `ticks` (optimistic, until the text shows them) overrule the text.
 */
export function MarkdownPreview({ text, ticks, onToggleTask, onTickShown, disabled }: NotePreviewProps) {
  const root = useRef<HTMLDivElement>(null);
  const rendered = useMemo(() => {
    timing?.mark(RENDER_MARK);
    return renderWithTasks(text);
  }, [text]);

  // After the DOM has the new HTML: the measure, then each box's state (a tick on its way wins).
  useLayoutEffect(() => {
    timing?.measure(RENDER_MEASURE, RENDER_MARK);
  }, [rendered]);
  useLayoutEffect(() => {
    const boxes = root.current?.querySelectorAll<HTMLInputElement>('input.task-checkbox') ?? [];
    for (const box of boxes) {
      const task = rendered.tasks[Number(box.dataset['taskIndex'])];
      if (!task) continue;
      const tick = ticks.get(task.index);
      const pending = tick && tick.text === task.text ? tick : undefined;
      box.checked = pending ? pending.checked : task.checked;
      box.disabled = Boolean(disabled);
      if (pending && pending.checked === task.checked) onTickShown(task.index);
    }
  }, [rendered, ticks, disabled, onTickShown]);

  return (
    <div
      ref={root}
      className="markdown-body"
      // markdown-it with html: false escapes every raw tag and refuses javascript:/data: links (lib/markdown.spec.ts).
      dangerouslySetInnerHTML={{ __html: rendered.html }}
      onClick={(event) => {
        const box = event.target as HTMLElement;
        if (!(box instanceof HTMLInputElement) || !box.classList.contains('task-checkbox')) return;
        const task = rendered.tasks[Number(box.dataset['taskIndex'])];
        if (task && !disabled) onToggleTask(task, box.checked);
      }}
    />
  );
}
