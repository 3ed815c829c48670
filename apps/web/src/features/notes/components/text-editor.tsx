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
}: TextEditorProps & { failed?: boolean }) {
  return (
    <>
      <textarea
        id={id}
        className="editor-text"
        value={value}
        maxLength={maxLength}
        readOnly={readOnly}
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
