import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from '@codemirror/commands';
import { markdown, markdownLanguage } from '@codemirror/lang-markdown';
import { defaultHighlightStyle, indentUnit, syntaxHighlighting } from '@codemirror/language';
import type { StateCommand } from '@codemirror/state';
import { Annotation, Compartment, EditorSelection, EditorState, Prec, Transaction } from '@codemirror/state';
import { drawSelection, EditorView, highlightSpecialChars, keymap, placeholder } from '@codemirror/view';
import { useEffect, useRef } from 'react';

import type { TextEditorProps } from './text-editor';

/** Marks a transaction that brings in text from outside (a merge, another tab): not the user's edit. */
const external = Annotation.define<boolean>();

/** Wraps each selection in `marker` (or unwraps it when it already is): Ctrl/⌘+B, Ctrl/⌘+I. */
export function toggleWrap(marker: string): StateCommand {
  return ({ state, dispatch }) => {
    const m = marker.length;
    const tr = state.changeByRange((range) => {
      const wrapped = state.sliceDoc(range.from - m, range.from) === marker && state.sliceDoc(range.to, range.to + m) === marker;
      if (wrapped)
        return {
          changes: [
            { from: range.from - m, to: range.from },
            { from: range.to, to: range.to + m },
          ],
          range: EditorSelection.range(range.from - m, range.to - m),
        };
      return {
        changes: [
          { from: range.from, insert: marker },
          { from: range.to, insert: marker },
        ],
        range: EditorSelection.range(range.from + m, range.to + m),
      };
    });
    dispatch(state.update(tr, { scrollIntoView: true, userEvent: 'input.format' }));
    return true;
  };
}

const LIST_LINE = /^\s*(?:[-*+]|\d+[.)])\s/;
const onListLine = (state: EditorState) => state.selection.ranges.every((r) => LIST_LINE.test(state.doc.lineAt(r.head).text));

/**
 * Tab / Shift-Tab indent and outdent a list item; elsewhere Tab keeps its meaning (the next
 * field), so the editor is no keyboard trap.
 */
const listIndent =
  (command: StateCommand): StateCommand =>
  (target) =>
    onListLine(target.state) && command(target);

/** The smallest change from `from` to `to` (common start and end kept), so the cursor maps sensibly through it. */
export function minimalChange(from: string, to: string): { from: number; to: number; insert: string } {
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && from.charCodeAt(from.length - 1 - end) === to.charCodeAt(to.length - 1 - end)) end++;
  return { from: start, to: from.length - end, insert: to.slice(start, to.length - end) };
}

/**
 * The note's Markdown in CodeMirror 6 (the live-collaboration work binds Yjs to it through
 * y-codemirror.next). Controlled: `value` in, `onChange` out; a `value` that differs from what
 * the editor holds (a merged save, a tick, another tab) is applied as the smallest change, so the
 * cursor and selection stay where they were relative to the text around them.
 *
 * Live (`live` set): the extension binds a Y.Text (y-codemirror.next); its undo manager replaces
 * the history (undo takes back one's own edits only), and the limit applies to what the user
 * types, never to what the others' edits bring in.
 */
export function MarkdownEditor({ id, value, onChange, readOnly, maxLength, label, placeholder: hint, live }: TextEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const readOnlyConf = useRef(new Compartment());
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  // One view per mounted editor; the props below are applied to it as they change.
  useEffect(() => {
    const editor = new EditorView({
      parent: host.current as HTMLDivElement,
      state: EditorState.create({
        doc: value,
        extensions: [
          highlightSpecialChars(),
          live ?? history(),
          drawSelection(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          indentUnit.of('  '),
          markdown({ base: markdownLanguage, addKeymap: true }),
          Prec.high(
            keymap.of([
              { key: 'Mod-b', run: toggleWrap('**') },
              { key: 'Mod-i', run: toggleWrap('*') },
              { key: 'Tab', run: listIndent(indentMore) },
              { key: 'Shift-Tab', run: listIndent(indentLess) },
            ]),
          ),
          keymap.of(live ? defaultKeymap : [...defaultKeymap, ...historyKeymap]),
          EditorView.lineWrapping,
          placeholder(hint ?? ''),
          EditorView.contentAttributes.of({ id, 'aria-label': label, spellcheck: 'true' }),
          readOnlyConf.current.of(EditorState.readOnly.of(Boolean(readOnly))),
          // The API's limit: an edit that would pass it is refused (outside text is let in as it is).
          EditorState.transactionFilter.of((tr) =>
            tr.docChanged &&
            !tr.annotation(external) &&
            (!live || tr.annotation(Transaction.userEvent) !== undefined) &&
            tr.newDoc.length > maxLength &&
            tr.newDoc.length > tr.startState.doc.length
              ? []
              : tr,
          ),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((tr) => tr.annotation(external)))
              onChangeRef.current(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The view is made once; value, readOnly and the rest are synced by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor || live) return;
    const doc = editor.state.doc.toString();
    if (doc !== value) editor.dispatch({ changes: minimalChange(doc, value), annotations: external.of(true) });
    // `live` is fixed for the editor's life (the caller remounts it to switch).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnlyConf.current.reconfigure(EditorState.readOnly.of(Boolean(readOnly))) });
  }, [readOnly]);

  return <div ref={host} className="editor-text editor-cm" data-readonly={readOnly || undefined} data-live={live ? true : undefined} />;
}
