import { EditorView } from '@codemirror/view';
import type { AccessRole, Note, User } from '@micronote/contracts';
import { COLLAB_TEXT } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router-dom';
import * as Y from 'yjs';

import type * as ApiClient from '../../../lib/api-client';
import { api } from '../../../lib/api-client';
import { authKeys } from '../../../lib/auth';
import type { AppSocket } from '../../../lib/socket';
import { realtimeSocket } from '../../../lib/socket';
import { noteKeys } from '../api/note-keys';
import { NoteEditorRoute } from '../components/note-editor';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn() },
}));

const me: User = {
  id: '2',
  name: 'Grace Hopper',
  email: 'g@example.com',
  username: 'grace',
  timeZone: null,
  locale: null,
  createdAt: '',
  updatedAt: '',
};

const note = (role: AccessRole | null): Note => ({
  id: '7',
  title: 'Launch plan',
  text: 'stored text',
  tags: [],
  isPinned: false,
  isArchived: false,
  version: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  ...(role ? { access: { role, owner: { id: '1', username: 'ada', displayName: 'Ada' }, members: 1 } } : {}),
});

/** A server with one document for note 7: answers joins, takes updates, lets the test push others'. */
function fakeServer(role: AccessRole) {
  const doc = new Y.Doc();
  doc.getText(COLLAB_TEXT).insert(0, 'stored text');
  const listeners = new Map<string, (...args: unknown[]) => void>();
  let seq = 0;
  const sent: string[] = [];
  const socket = {
    connected: true,
    on: (event: string, listener: (...args: unknown[]) => void) => listeners.set(event, listener),
    off: (event: string) => listeners.delete(event),
    emit: (event: string, request: { stateVector?: Uint8Array; update?: Uint8Array }, ack?: (answer: unknown) => void) => {
      sent.push(event);
      if (event === 'collab:join')
        ack?.({
          ok: true,
          role,
          update: Y.encodeStateAsUpdate(doc, request.stateVector),
          stateVector: Y.encodeStateVector(doc),
          seq,
        });
      if (event === 'collab:update') {
        Y.applyUpdate(doc, request.update as Uint8Array);
        ack?.({ ok: true, seq: ++seq });
      }
    },
  };
  /** Someone else types. */
  const remoteInsert = (index: number, text: string) => {
    const before = Y.encodeStateVector(doc);
    doc.getText(COLLAB_TEXT).insert(index, text);
    listeners.get('collab:update')?.({ noteId: '7', update: Y.encodeStateAsUpdate(doc, before), seq: ++seq });
  };
  return { doc, socket: socket as unknown as AppSocket, sent, remoteInsert, listeners };
}

function setup(initial: Note) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
  client.setQueryData(noteKeys.detail(initial.id), initial);
  client.setQueryData(authKeys.me(), me);
  jest.mocked(api.get).mockResolvedValue(initial);
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/notes/7']}>
        <Routes>
          <Route path="/notes" element={<Outlet context={{ filters: { view: 'notes', q: '', tag: '' } }} />}>
            <Route path=":noteId" element={<NoteEditorRoute />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const liveView = async (container: HTMLElement) => {
  await waitFor(() => expect(container.querySelector('.editor-cm[data-live] .cm-editor')).not.toBeNull(), { timeout: 5000 });
  return EditorView.findFromDOM(container.querySelector('.editor-cm[data-live] .cm-editor') as HTMLElement) as EditorView;
};

beforeAll(() => {
  window.matchMedia = (media: string) =>
    ({ matches: true, media, addEventListener: () => undefined, removeEventListener: () => undefined }) as unknown as MediaQueryList;
  const rects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getClientRects = rects;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
});

describe('NoteEditor in live mode', () => {
  afterEach(() => {
    cleanup();
    realtimeSocket.set(null);
  });

  it('a shared note is live: the editor follows the others, sends the user’s edits, no text PATCH', async () => {
    const server = fakeServer('editor');
    realtimeSocket.set(server.socket);
    const { container } = setup(note('editor'));
    const view = await liveView(container);
    await screen.findByText('Live');
    expect(view.state.doc.toString()).toBe('stored text');

    act(() => server.remoteInsert(0, 'Ada was here. '));
    expect(view.state.doc.toString()).toBe('Ada was here. stored text');
    await waitFor(() => expect(container.querySelector('.editor-preview')?.textContent).toContain('Ada was here.'));

    act(() => view.dispatch({ changes: { from: view.state.doc.length, insert: '!' }, userEvent: 'input.type' }));
    await waitFor(() => expect(server.doc.getText(COLLAB_TEXT).toString()).toBe('Ada was here. stored text!'));
    await new Promise((r) => setTimeout(r, 900));
    expect(api.patch).not.toHaveBeenCalled();
    expect(view.state.readOnly).toBe(false);
  });

  it('a viewer gets the live text read-only (text, title and tags), with "Read only"', async () => {
    const server = fakeServer('viewer');
    realtimeSocket.set(server.socket);
    const { container } = setup(note('viewer'));
    const view = await liveView(container);
    await screen.findByText('Read only');
    expect(view.state.readOnly).toBe(true);
    expect((screen.getByLabelText('Title') as HTMLInputElement).readOnly).toBe(true);
    expect(screen.queryByRole('button', { name: 'Move to trash' })).toBeNull();
    expect(server.sent).not.toContain('collab:update');
  });

  it('collab:closed turns the editor read-only with a notice', async () => {
    const server = fakeServer('editor');
    realtimeSocket.set(server.socket);
    const { container } = setup(note('editor'));
    const view = await liveView(container);
    act(() => server.listeners.get('collab:closed')?.({ noteId: '7', reason: 'removed' }));
    await screen.findByText('Live editing ended');
    expect(view.state.readOnly).toBe(true);
  });

  it('an own unshared note is not live (no presence, no join)', async () => {
    const server = fakeServer('owner');
    realtimeSocket.set(server.socket);
    const { container } = setup(note(null));
    await waitFor(() => expect(container.querySelector('.editor-cm .cm-editor')).not.toBeNull(), { timeout: 5000 });
    expect(container.querySelector('.presence')).toBeNull();
    expect(server.sent).toEqual([]);
  });
});
