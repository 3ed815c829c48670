import type { Note } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Outlet, Route, Routes } from 'react-router-dom';

import type * as ApiClient from '../../../lib/api-client';
import { api } from '../../../lib/api-client';
import { ApiError } from '../../../lib/api-error';
import { toast } from '../../../lib/toast';
import { noteKeys } from '../api/note-keys';
import { AUTOSAVE_DELAY_MS } from '../hooks/use-note-autosave';
import { NoteEditorRoute } from './note-editor';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn(), patch: jest.fn() },
}));

const note = (patch: Partial<Note> = {}): Note => ({
  id: '7',
  title: 'Groceries',
  text: '- [ ] milk\n- [ ] eggs\n\nNotes here',
  tags: [],
  isPinned: false,
  isArchived: false,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  ...patch,
});

function setup(initial = note()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity }, mutations: { retry: false } } });
  client.setQueryData(noteKeys.detail(initial.id), initial);
  jest.mocked(api.get).mockResolvedValue(initial);
  render(
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
  return client;
}

// The first render loads the editor's and the preview's chunks (a moment in Jest).
const box = async (name: string) => (await screen.findByRole('checkbox', { name }, { timeout: 5000 })) as HTMLInputElement;

// A wide screen (editor and preview side by side); jsdom has no layout, which CodeMirror measures.
beforeAll(() => {
  window.matchMedia = (media: string) =>
    ({ matches: true, media, addEventListener: () => undefined, removeEventListener: () => undefined }) as unknown as MediaQueryList;
  const rects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getClientRects = rects;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
});

describe('NoteEditor', () => {
  beforeEach(() => {
    jest.mocked(api.post).mockReset();
    jest.mocked(api.patch).mockReset();
  });
  afterEach(cleanup);

  it('ticks a box at once, sends its index and text, and the note follows the answer', async () => {
    jest.mocked(api.post).mockResolvedValue(note({ text: '- [ ] milk\n- [x] eggs\n\nNotes here', version: 2 }));
    setup();
    const eggs = await box('eggs');
    fireEvent.click(eggs);
    expect(eggs.checked).toBe(true);
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/notes/7/tasks', { index: 1, text: 'eggs', checked: true }));
    await waitFor(() => expect(screen.getByText('Version 2')).toBeTruthy());
    expect((await box('eggs')).checked).toBe(true);
  });

  it('rolls the tick back with a message when it fails', async () => {
    jest
      .mocked(api.post)
      .mockRejectedValue(new ApiError(409, { statusCode: 409, error: 'Conflict', message: 'gone', code: 'TASK_NOT_FOUND' }));
    const error = jest.spyOn(toast, 'error');
    setup();
    const milk = await box('milk');
    fireEvent.click(milk);
    expect(milk.checked).toBe(true);
    await waitFor(() => expect(milk.checked).toBe(false));
    expect(error).toHaveBeenCalledWith('“milk” is no longer in the note; nothing was ticked.');
  });

  it('a tick while another line is being edited leaves the edit alone; the autosave carries on with the base it started from', async () => {
    let answer: (n: Note) => void = () => undefined;
    jest.mocked(api.post).mockImplementation(() => new Promise((resolve) => (answer = resolve as (n: Note) => void)));
    jest
      .mocked(api.patch)
      .mockImplementation(async () => ({ ...note({ text: '- [x] milk\n- [ ] eggs\n\nNotes here, edited', version: 3 }), merged: true }));
    setup();
    const textbox = await screen.findByRole('textbox', { name: 'Text' });
    // The CodeMirror view: type at the end of the last line.
    const { EditorView } = await import('@codemirror/view');
    const view = EditorView.findFromDOM(textbox.closest('.cm-editor') as HTMLElement) as InstanceType<typeof EditorView>;
    act(() => view.dispatch({ changes: { from: view.state.doc.length, insert: ', edited' } }));
    fireEvent.click(await box('milk'));
    await act(async () => answer(note({ text: '- [x] milk\n- [ ] eggs\n\nNotes here', version: 2 })));
    // The edit is still there, the box still ticked.
    expect(view.state.doc.toString()).toBe('- [ ] milk\n- [ ] eggs\n\nNotes here, edited');
    expect((await box('milk')).checked).toBe(true);
    await waitFor(
      () =>
        expect(api.patch).toHaveBeenCalledWith('/api/notes/7', { text: '- [ ] milk\n- [ ] eggs\n\nNotes here, edited', baseVersion: 1 }),
      {
        timeout: AUTOSAVE_DELAY_MS + 1000,
      },
    );
    // The merged answer brings the tick into the text, and says so.
    await waitFor(() => expect(view.state.doc.toString()).toBe('- [x] milk\n- [ ] eggs\n\nNotes here, edited'));
    expect(screen.getByText('Merged with changes from another tab')).toBeTruthy();
  });

  it('opens a note shared as viewer read-only: no save status, no owner actions, no ticks', async () => {
    setup(note({ access: { role: 'viewer', owner: { id: '2', username: 'bob', displayName: 'Bob' }, members: 1 } }));
    const milk = await box('milk');
    expect(milk.disabled).toBe(true);
    expect((screen.getByLabelText('Title') as HTMLInputElement).readOnly).toBe(true);
    expect(screen.getByText('Read only')).toBeTruthy();
    expect(screen.getByText('Shared by Bob · you can view')).toBeTruthy();
    expect(screen.queryByRole('status', { name: /Saved/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Move to trash' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Pin' })).toBeNull();
    expect(screen.getByRole('button', { name: 'People' })).toBeTruthy();
  });

  it('lets an editor edit, without the owner’s pin, archive and trash', async () => {
    setup(note({ access: { role: 'editor', owner: { id: '2', username: 'bob', displayName: null }, members: 1 } }));
    const milk = await box('milk');
    expect(milk.disabled).toBe(false);
    expect((screen.getByLabelText('Title') as HTMLInputElement).readOnly).toBe(false);
    expect(screen.queryByRole('button', { name: 'Move to trash' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Archive' })).toBeNull();
    expect(screen.getByRole('button', { name: 'History' })).toBeTruthy();
  });
});
