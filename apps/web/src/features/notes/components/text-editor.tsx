import type { Extension } from '@codemirror/state';
import { lazy, Suspense } from 'react';

import { Spinner } from '../../../components/states';

export interface TextEditorProps {
  /** The id of the editable element (the title's Enter moves focus there). */
  id: string;
  value: string;
  onChange: (text: string) => void;
  readOnly?: boolean;
  maxLength: number;
  /** Its accessible name. */
  label: string;
  placeholder?: string;
  /**
   * Live mode: the text is a shared Y.Text and this extension (y-codemirror.next) binds it to
   * the editor; `value` is then only the text it starts from (the Y.Text's) and later changes of
   * `value` are not applied (the binding brings every change). No undo history of its own.
   */
  live?: Extension;
}

/** The plain editor: while CodeMirror's chunk cannot be loaded, nothing stops the user writing. */
export function PlainTextEditor({
  id,
  value,
  onChange,
  readOnly,
  maxLength,
  label,
  placeholder,
  failed,
  live,
}: TextEditorProps & { failed?: boolean }) {
  return (
    <>
      <textarea
        id={id}
        className="editor-text"
        value={value}
        maxLength={maxLength}
        // Without CodeMirror there is no live binding: a live note is then shown read-only.
        readOnly={readOnly || live !== undefined}
        placeholder={placeholder}
        aria-label={label}
        onChange={(e) => onChange(e.target.value)}
      />
      {failed && (
        <p className="editor-fallback-note" role="status">
          The Markdown editor could not be loaded; this plain one saves the same way.
        </p>
      )}
    </>
  );
}

/** CodeMirror in a chunk of its own (it is most of the editor's weight), the plain editor if that chunk fails to load. */
const LazyMarkdownEditor = lazy(() =>
  import('./markdown-editor').then(
    (m) => ({ default: m.MarkdownEditor }),
    () => ({ default: (props: TextEditorProps) => <PlainTextEditor {...props} failed /> }),
  ),
);

/** The note's text editor, loaded on first use. */
export function TextEditor(props: TextEditorProps) {
  return (
    <Suspense
      fallback={
        <div className="editor-text editor-loading">
          <Spinner label="Loading the editor…" />
        </div>
      }
    >
      <LazyMarkdownEditor {...props} />
    </Suspense>
  );
}
