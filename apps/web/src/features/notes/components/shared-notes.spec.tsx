import type { Note, NoteAccess } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';

import type * as ApiClient from '../../../lib/api-client';
import { api, ApiError } from '../../../lib/api-client';
import { noteFilters } from '../api/note-keys';
import { NotesSidebar } from './notes-sidebar';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn() },
}));

const BOB = { id: '2', username: 'bob', displayName: 'Bob Stone' };
const CY = { id: '3', username: 'cy', displayName: null };
const shared = (id: string, access: NoteAccess): Note => ({
  id,
  title: `Shared ${id}`,
  text: `Text of ${id}`,
  tags: [],
  isPinned: false,
  isArchived: false,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  access,
});
const NOTES = [shared('7', { role: 'editor', owner: BOB, members: 2 }), shared('8', { role: 'viewer', owner: CY, members: 1 })];

function Where() {
  const location = useLocation();
  return <output data-testid="where">{location.pathname}</output>;
}

function setup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/notes?view=shared']}>
        <Routes>
          <Route path="*" element={<NotesSidebar filters={noteFilters({ view: 'shared' })} />} />
        </Routes>
        <Where />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeAll(() => {
  // jsdom's Performance has no user timing (the list marks when it is first interactive).
  performance.getEntriesByName ??= () => [];
  performance.mark ??= () => undefined as unknown as PerformanceMark;
});

describe('Shared with me', () => {
  beforeEach(() => {
    jest.mocked(api.get).mockReset().mockResolvedValue({ items: NOTES, nextCursor: null });
  });
  afterEach(cleanup);

  it('lists the accepted shared notes with their owner and my role, without search, tags or selection', async () => {
    setup();
    expect(screen.getByRole('link', { name: /Shared with me/ }).getAttribute('aria-current')).toBe('page');
    const list = await screen.findByRole('list', { name: 'Notes' });
    const first = within(list).getByRole('link', { name: /Shared 7/ });
    expect(first.textContent).toContain('From Bob Stone');
    expect(first.textContent).toContain('Can edit');
    const second = within(list).getByRole('link', { name: /Shared 8/ });
    expect(second.textContent).toContain('From cy');
    expect(second.textContent).toContain('Can view');
    expect(api.get).toHaveBeenCalledWith('/api/notes/shared', expect.objectContaining({ query: expect.objectContaining({ cursor: null }) }));

    // The owner's tools stay the owner's: no search box, no tag filter, no checkboxes or bulk bar.
    expect(screen.queryByRole('search')).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Filter by tag' })).toBeNull();
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.queryByRole('toolbar')).toBeNull();
  });

  it('opens a note from the keyboard (each row is a link); Space does not select', async () => {
    setup();
    const row = await screen.findByRole('link', { name: /Shared 7/ });
    row.focus();
    expect(document.activeElement).toBe(row);
    fireEvent.keyDown(row, { key: ' ' });
    expect(screen.queryByRole('checkbox')).toBeNull();
    fireEvent.click(row);
    await waitFor(() => expect(screen.getByTestId('where').textContent).toBe('/notes/7'));
  });

  it('says while it loads, and when nothing is shared with me yet', async () => {
    let answer: (page: unknown) => void = () => undefined;
    jest.mocked(api.get).mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    setup();
    expect(screen.getByRole('status', { name: 'Loading notes' })).toBeTruthy();
    answer({ items: [], nextCursor: null });
    expect(await screen.findByText('Nothing shared with you yet')).toBeTruthy();
    expect(screen.getByText(/once you accept their invitation/)).toBeTruthy();
  });

  it('says when the shared notes cannot be loaded, with a retry', async () => {
    jest.mocked(api.get).mockRejectedValueOnce(new ApiError(503, { code: 'SERVICE_UNAVAILABLE', message: 'notes-service is not answering' }));
    setup();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Notes could not be loaded');
    expect(alert.textContent).toContain('briefly unavailable');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('link', { name: /Shared 7/ })).toBeTruthy();
  });
});
