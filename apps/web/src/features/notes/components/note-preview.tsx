import { lazy, Suspense } from 'react';

import { Spinner } from '../../../components/states';
import type { TaskItem } from '../lib/task-list';

/** A tick sent and not yet in the text (by task index). */
export type PendingTicks = ReadonlyMap<number, { text: string; checked: boolean }>;

export interface NotePreviewProps {
  text: string;
  /** Ticks on their way (none in a read-only preview). */
  ticks?: PendingTicks;
  onToggleTask?: (task: TaskItem, checked: boolean) => void;
  /** The text now shows this tick: it need not be overruled any more. */
  onTickShown?: (index: number) => void;
  /** Read-only: the boxes show the text's state and cannot be ticked. */
  disabled?: boolean;
}

/** The renderer (markdown-it) is a chunk of its own, loaded with the first preview. */
const LazyPreview = lazy(() =>
  import('./markdown-preview').then(
    (m) => ({ default: m.MarkdownPreview }),
    () => ({
      default: ({ text }: NotePreviewProps) => (
        <div className="markdown-body">
          <p className="editor-fallback-note" role="status">
            The preview could not be loaded. The text as written:
          </p>
          <pre className="markdown-fallback">{text}</pre>
        </div>
      ),
    }),
  ),
);

export function NotePreview(props: NotePreviewProps) {
  return (
    <Suspense fallback={<Spinner label="Loading the preview…" />}>
      <LazyPreview {...props} />
    </Suspense>
  );
}
