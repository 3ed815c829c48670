import { EditorSelection, EditorState } from '@codemirror/state';
import { EditorView, runScopeHandlers } from '@codemirror/view';
import { act, cleanup, render } from '@testing-library/react';
import { yCollab } from 'y-codemirror.next';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';

import { MarkdownEditor, minimalChange, toggleWrap } from './markdown-editor';

/** Runs a command on a document with the selection from..to; the resulting text and selection. */
function run(command: ReturnType<typeof toggleWrap>, doc: string, from: number, to = from) {
  let state = EditorState.create({ doc, selection: EditorSelection.single(from, to) });
  command({ state, dispatch: (tr) => (state = tr.state) });
  return { doc: state.doc.toString(), from: state.selection.main.from, to: state.selection.main.to };
}

describe(MarkdownEditor.name, () => {
  afterEach(cleanup);

  it('Ctrl/⌘+B and +I wrap the selection, and unwrap it again', () => {
    expect(run(toggleWrap('**'), 'make this bold', 5, 9)).toEqual({ doc: 'make **this** bold', from: 7, to: 11 });
    expect(run(toggleWrap('**'), 'make **this** bold', 7, 11)).toEqual({ doc: 'make this bold', from: 5, to: 9 });
    expect(run(toggleWrap('*'), 'an empty ', 9)).toEqual({ doc: 'an empty **', from: 10, to: 10 });
  });

  it('a change from outside is applied as the smallest change, so the cursor stays by its text', () => {
    expect(minimalChange('one\ntwo\nthree', 'ONE!\ntwo\nthree')).toEqual({ from: 0, to: 3, insert: 'ONE!' });
    expect(minimalChange('abc', 'abc')).toEqual({ from: 3, to: 3, insert: '' });
    expect(minimalChange('aaa', 'aaaa')).toEqual({ from: 3, to: 3, insert: 'a' });

    const onChange = jest.fn();
    const props = { id: 'text', label: 'Text', maxLength: 100, onChange };
    const { container, rerender } = render(<MarkdownEditor {...props} value={'first\nsecond line'} />);
    const view = EditorView.findFromDOM(container.querySelector('.cm-editor') as HTMLElement) as EditorView;
    expect(view.contentDOM.getAttribute('aria-label')).toBe('Text');
    expect(view.contentDOM.id).toBe('text');
    // The cursor in "second"; another tab changes the first line.
    act(() => view.dispatch({ selection: { anchor: 'first\nsec'.length } }));
    rerender(<MarkdownEditor {...props} value={'first line, merged in\nsecond line'} />);
    expect(view.state.doc.toString()).toBe('first line, merged in\nsecond line');
    expect(view.state.sliceDoc(view.state.selection.main.head - 3, view.state.selection.main.head)).toBe('sec');
    // Text from outside is no edit of the user's.
    expect(onChange).not.toHaveBeenCalled();

    act(() => view.dispatch({ changes: { from: view.state.doc.length, insert: '!' } }));
    expect(onChange).toHaveBeenCalledWith('first line, merged in\nsecond line!');
  });

  it('Tab / Shift-Tab indent and outdent a list item, and leave Tab alone elsewhere (no keyboard trap)', () => {
    const { container } = render(<MarkdownEditor id="t" label="Text" maxLength={100} onChange={jest.fn()} value={'- a\n- b\nplain'} />);
    const view = EditorView.findFromDOM(container.querySelector('.cm-editor') as HTMLElement) as EditorView;
    const press = (key: string, shiftKey = false) => runScopeHandlers(view, new KeyboardEvent('keydown', { key, shiftKey }), 'editor');
    act(() => view.dispatch({ selection: { anchor: 5 } }));
    expect(press('Tab')).toBe(true);
    expect(view.state.doc.toString()).toBe('- a\n  - b\nplain');
    expect(press('Tab', true)).toBe(true);
    expect(view.state.doc.toString()).toBe('- a\n- b\nplain');
    act(() => view.dispatch({ selection: { anchor: view.state.doc.length } }));
    expect(press('Tab')).toBe(false);
    expect(view.state.doc.toString()).toBe('- a\n- b\nplain');
  });

  it('refuses edits past the length limit, and edits while read-only', () => {
    const onChange = jest.fn();
    const { container, rerender } = render(<MarkdownEditor id="t" label="Text" maxLength={5} onChange={onChange} value="1234" />);
    const view = EditorView.findFromDOM(container.querySelector('.cm-editor') as HTMLElement) as EditorView;
    act(() => view.dispatch({ changes: { from: 4, insert: '56' } }));
    expect(view.state.doc.toString()).toBe('1234');
    rerender(<MarkdownEditor id="t" label="Text" maxLength={5} onChange={onChange} value="1234" readOnly />);
    expect(view.state.readOnly).toBe(true);
  });

  it('live: bound to a Y.Text both ways, others’ edits never refused by the limit, undo only takes back one’s own', () => {
    const doc = new Y.Doc();
    const ytext = doc.getText('text');
    ytext.insert(0, 'shared');
    const undoManager = new Y.UndoManager(ytext);
    const live = yCollab(ytext, new Awareness(doc), { undoManager });
    const { container } = render(
      <MarkdownEditor id="t" label="Text" maxLength={10} onChange={jest.fn()} value={ytext.toString()} live={live} />,
    );
    const view = EditorView.findFromDOM(container.querySelector('.cm-editor') as HTMLElement) as EditorView;
    expect(container.querySelector('[data-live]')).not.toBeNull();

    act(() => view.dispatch({ changes: { from: 6, insert: '!' }, userEvent: 'input.type' }));
    expect(ytext.toString()).toBe('shared!');

    // Someone else's edit (a remote update) comes in even past the limit.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    other.getText('text').insert(0, 'a long remote line: ');
    act(() => Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)), 'remote'));
    expect(view.state.doc.toString()).toBe('a long remote line: shared!');
    // The user's own typing past it is refused.
    act(() => view.dispatch({ changes: { from: 0, insert: 'x' }, userEvent: 'input.type' }));
    expect(ytext.toString()).toBe('a long remote line: shared!');

    act(() => {
      undoManager.stopCapturing();
      undoManager.undo();
    });
    expect(view.state.doc.toString()).toBe('a long remote line: shared');
  });
});
