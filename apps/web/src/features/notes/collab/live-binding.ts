import type { Extension } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';

import type { CollabSession } from './collab-session';

export { CollabSession } from './collab-session';

/**
 * The CodeMirror side of a live note: the Y.Text bound to the editor (remote edits in, local
 * edits out), the others' cursors and selections in their colours with their names, and undo
 * and redo of one's own edits only (the session's Y.UndoManager).
 */
export function liveExtension(session: CollabSession): Extension {
  return [yCollab(session.text, session.awareness, { undoManager: session.undoManager }), keymap.of(yUndoManagerKeymap)];
}
