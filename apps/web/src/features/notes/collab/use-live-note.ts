import type { Extension } from '@codemirror/state';
import type { Note } from '@micronote/contracts';
import { useEffect, useState, useSyncExternalStore } from 'react';

import { useMe } from '../../../lib/auth';
import { realtimeSocket } from '../../../lib/socket';
import { createStore } from '../../../lib/store';
import { toast } from '../../../lib/toast';
import type { CollabSession, CollabState } from './collab-session';

/** A note is edited live when it is shared with people or is someone else's (it has `access`). */
export const isLiveNote = (note: Pick<Note, 'access' | 'deletedAt'>): boolean => note.access !== undefined && note.deletedAt === null;

export interface LiveNote {
  session: CollabSession;
  /** For the CodeMirror editor (y-codemirror.next). */
  extension: Extension;
  state: CollabState;
  /** The Y.Text as a string (the preview follows it). */
  text: string;
}

const IDLE: CollabState = { status: 'joining', role: null, synced: false, closedReason: null, peers: [] };
const noStore = createStore<CollabState>(IDLE);
const noText = createStore('');

/**
 * The live session of an open note while `enabled`: Yjs, its awareness and the CodeMirror
 * binding load in their own chunk on first use (no live note opened, nothing of them loaded).
 * Null while that chunk loads or the user is not known yet; `failed` when it cannot be loaded.
 */
export function useLiveNote(noteId: string, enabled: boolean): { live: LiveNote | null; failed: boolean } {
  const me = useMe();
  const userId = me.data?.id;
  const userName = me.data ? me.data.name || me.data.username : undefined;
  const [opened, setOpened] = useState<{ session: CollabSession; extension: Extension } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!enabled || !userId || !userName) return;
    let cancelled = false;
    let session: CollabSession | undefined;
    import('./live-binding').then(
      ({ CollabSession, liveExtension }) => {
        if (cancelled) return;
        session = new CollabSession({
          noteId,
          user: { id: userId, name: userName },
          socket: realtimeSocket,
          onNotice: (message, kind) => toast(message, kind),
        });
        setOpened({ session, extension: liveExtension(session) });
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      session?.destroy();
      setOpened(null);
    };
  }, [noteId, enabled, userId, userName]);

  const stateStore = opened?.session.state ?? noStore;
  const state = useSyncExternalStore(stateStore.subscribe, stateStore.get);
  const textStore = opened?.session.liveText ?? noText;
  const text = useSyncExternalStore(textStore.subscribe, textStore.get);
  return { live: opened ? { ...opened, state, text } : null, failed };
}
