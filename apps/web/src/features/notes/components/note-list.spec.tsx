import type { Note } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';

import { Toaster } from '../../../components/toaster';
import type * as ApiClient from '../../../lib/api-client';
import { api } from '../../../lib/api-client';
import type { NoteFilters } from '../api/note-keys';
import { noteFilters } from '../api/note-keys';
import { summarizeBulk } from '../lib/bulk-summary';
import { NoteList } from './note-list';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn() },
}));

const note = (id: number): Note => ({
  id: String(id),
  title: `Note ${id}`,
  text: '',
  tags: id % 2 ? ['odd'] : [],
  isPinned: false,
  isArchived: false,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
});
const NOTES = [1, 2, 3, 4, 5, 6].map(note);

function setup(filters: NoteFilters = noteFilters({})) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <NoteList filters={filters} />
      </MemoryRouter>
      <Toaster />
    </QueryClientProvider>,
  );
}

const box = (n: number) => screen.getByRole('checkbox', { name: `Select “Note ${n}”` }) as HTMLInputElement;
const checked = () => NOTES.filter((n) => box(Number(n.id)).checked).map((n) => Number(n.id));
const selectAll = () => screen.getByRole('checkbox', { name: /^Select all/ }) as HTMLInputElement;

beforeAll(() => {
  // jsdom's Performance has no user timing (the list marks when it is first interactive).
  performance.getEntriesByName ??= () => [];
  performance.mark ??= () => undefined as unknown as PerformanceMark;
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});

describe('NoteList selection', () => {
  beforeEach(() => {
    jest.mocked(api.get).mockReset().mockResolvedValue({ items: NOTES, nextCursor: null });
    jest.mocked(api.post).mockReset();
  });
  afterEach(cleanup);

  it('shift-click ticks the range from the last row clicked, and unticks it the same way', async () => {
    setup();
    await screen.findByText('Note 1');
    fireEvent.click(box(2));
    fireEvent.click(box(5), { shiftKey: true });
    expect(checked()).toEqual([2, 3, 4, 5]);
    expect(screen.getByText('4 selected').getAttribute('role')).toBe('status');
    // From 5 up to 4: both take 4's new state (off).
    fireEvent.click(box(4), { shiftKey: true });
    expect(checked()).toEqual([2, 3]);
    // Upwards works too.
    fireEvent.click(box(6));
    fireEvent.click(box(1), { shiftKey: true });
    expect(checked()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(selectAll().checked).toBe(true);
  });

  it('selects all shown (indeterminate while some are), Space on a row ticks it, Escape clears', async () => {
    setup();
    await screen.findByText('Note 1');
    expect(selectAll().getAttribute('aria-label')).toBe('Select all 6 notes shown');
    fireEvent.click(selectAll());
    expect(checked()).toEqual([1, 2, 3, 4, 5, 6]);
    fireEvent.click(selectAll());
    expect(checked()).toEqual([]);

    const row = screen.getByText('Note 3').closest('a') as HTMLAnchorElement;
    act(() => row.focus());
    fireEvent.keyDown(row, { key: ' ' });
    expect(checked()).toEqual([3]);
    expect(selectAll().indeterminate).toBe(true);
    fireEvent.keyDown(screen.getByText('Note 5').closest('a') as Element, { key: ' ', shiftKey: true });
    expect(checked()).toEqual([3, 4, 5]);

    fireEvent.keyDown(row, { key: 'Escape' });
    expect(checked()).toEqual([]);
    expect(screen.queryByRole('toolbar', { name: 'Selected notes' })).toBeNull();
  });

  it('archives the selection in one request and reports a partial failure, keeping the failed ones selected', async () => {
    jest.mocked(api.post).mockResolvedValue({
      items: [
        { id: '1', status: 200 },
        { id: '2', status: 404, code: 'NOTE_NOT_FOUND' },
        { id: '3', status: 200 },
      ],
    });
    setup();
    await screen.findByText('Note 1');
    fireEvent.click(box(1));
    fireEvent.click(box(3), { shiftKey: true });
    fireEvent.click(within(screen.getByRole('toolbar', { name: 'Selected notes' })).getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/notes/bulk', { ids: ['1', '2', '3'], action: 'archive' }));
    expect((await screen.findByText('2 done, 1 failed: not found')).closest('[role="alert"]')).toBeTruthy();
    expect(checked()).toEqual([2]);
  });

  it('adds a tag through its dialog; the trash offers Restore and Delete forever (confirmed)', async () => {
    jest.mocked(api.post).mockImplementation(async (_path: string, body: unknown) => ({
      items: (body as { ids: string[] }).ids.map((id) => ({ id, status: 200 })),
    }));
    setup();
    await screen.findByText('Note 1');
    fireEvent.click(box(2));
    fireEvent.click(screen.getByRole('button', { name: 'Add tag…' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a tag to 1 note' });
    fireEvent.change(within(dialog).getByLabelText('Tag'), { target: { value: ' later ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add tag' }));
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/notes/bulk', { ids: ['2'], action: 'addTags', tags: ['later'] }));
    expect(await screen.findByText('Tagged 1 note')).toBeTruthy();
    expect(checked()).toEqual([]);
    cleanup();

    setup(noteFilters({ view: 'trash' }));
    await screen.findByText('Note 1');
    fireEvent.click(selectAll());
    const toolbar = screen.getByRole('toolbar', { name: 'Selected notes' });
    expect(
      within(toolbar)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Restore', 'Delete forever']);
    fireEvent.click(within(toolbar).getByRole('button', { name: 'Delete forever' }));
    expect(api.post).toHaveBeenCalledTimes(1);
    const confirm = screen.getByRole('dialog', { name: 'Delete 6 notes forever?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Delete forever' }));
    await waitFor(() =>
      expect(api.post).toHaveBeenLastCalledWith('/api/notes/bulk', { ids: ['1', '2', '3', '4', '5', '6'], action: 'delete' }),
    );
    expect(await screen.findByText('Deleted for good: 6 notes')).toBeTruthy();
  });
});

describe(summarizeBulk.name, () => {
  it('counts what was done and says why the rest failed', () => {
    const ok = Array.from({ length: 48 }, (_, i) => ({ id: String(i), status: 200 }));
    expect(summarizeBulk('trash', [...ok, { id: 'x', status: 404 }, { id: 'y', status: 404, code: 'NOTE_NOT_FOUND' }]).message).toBe(
      '48 done, 2 failed: not found',
    );
    expect(
      summarizeBulk('addTags', [
        { id: '1', status: 200 },
        { id: '2', status: 404 },
        { id: '3', status: 400, code: 'TOO_MANY_TAGS' },
        { id: '4', status: 404 },
      ]),
    ).toEqual({ ok: ['1'], failed: ['2', '3', '4'], message: '1 done, 3 failed: 2 not found, 1 too many tags' });
    expect(summarizeBulk('pin', [{ id: '1', status: 200 }]).message).toBe('Pinned 1 note');
  });
});
