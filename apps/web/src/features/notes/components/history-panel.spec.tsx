import type { NoteRevision, NoteRevisionSummary, Page } from '@micronote/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import type * as ApiClient from '../../../lib/api-client';
import { api } from '../../../lib/api-client';
import { ApiError } from '../../../lib/api-error';
import { clientId } from '../../../lib/client-id';
import { diffVersions, HistoryPanel } from './history-panel';

jest.mock('../../../lib/api-client', () => ({
  ...jest.requireActual<typeof ApiClient>('../../../lib/api-client'),
  api: { get: jest.fn(), post: jest.fn() },
}));

const summary = (version: number, patch: Partial<NoteRevisionSummary> = {}): NoteRevisionSummary => ({
  version,
  at: new Date(Date.now() - version * 1000).toISOString(),
  title: 'Trip',
  size: 1200,
  clientId: null,
  ...patch,
});

const revision = (version: number, text: string): NoteRevision => ({
  noteId: '7',
  version,
  at: '2026-01-01T00:00:00.000Z',
  title: 'Trip',
  text,
  tags: [],
  clientId: null,
});

type Routes = Record<string, () => unknown>;
function serve(routes: Routes) {
  jest.mocked(api.get).mockImplementation(async (path: string, options?: { query?: Record<string, unknown> }) => {
    const key = options?.query?.['cursor'] ? `${path}?cursor=${String(options.query['cursor'])}` : path;
    const route = routes[key];
    if (!route) throw new ApiError(404, { statusCode: 404, error: 'Not Found', message: `no ${key}`, code: 'NOT_FOUND' });
    return route();
  });
}

function setup(props: Partial<Parameters<typeof HistoryPanel>[0]> = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const onClose = jest.fn();
  const beforeRestore = jest.fn().mockResolvedValue(true);
  render(
    <QueryClientProvider client={client}>
      <HistoryPanel
        noteId="7"
        currentText={'pack\nbook the train\ncall mum'}
        currentVersion={9}
        beforeRestore={beforeRestore}
        onClose={onClose}
        {...props}
      />
    </QueryClientProvider>,
  );
  return { onClose, beforeRestore };
}

describe(HistoryPanel.name, () => {
  beforeEach(() => {
    jest.mocked(api.get).mockReset();
    jest.mocked(api.post).mockReset();
  });
  afterEach(cleanup);

  it('lists versions newest first with time, size and where they came from; loads older ones through nextCursor', async () => {
    serve({
      '/api/notes/7/revisions': (): Page<NoteRevisionSummary> => ({
        items: [summary(8, { clientId }), summary(7, { size: 20 })],
        nextCursor: 'c1',
      }),
      '/api/notes/7/revisions?cursor=c1': (): Page<NoteRevisionSummary> => ({ items: [summary(6)], nextCursor: null }),
    });
    setup();
    const list = await screen.findByRole('listbox', { name: 'Versions, newest first' });
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      expect.stringMatching(/Version 8.*1\.2 KB · this tab/),
      expect.stringMatching(/Version 7.*20 B · other device/),
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(3));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('shows a version against the current text as added and removed lines, and restores it after a confirmation', async () => {
    serve({
      '/api/notes/7/revisions': () => ({ items: [summary(8), summary(7)], nextCursor: null }),
      '/api/notes/7/revisions/7': () => revision(7, 'pack\nbook a train\nold line\ncall mum'),
    });
    jest.mocked(api.post).mockResolvedValue({
      id: '7',
      version: 10,
      title: 'Trip',
      text: 'x',
      tags: [],
      isPinned: false,
      isArchived: false,
      createdAt: '',
      updatedAt: '',
      deletedAt: null,
    });
    const { beforeRestore, onClose } = setup();
    const list = await screen.findByRole('listbox');
    // Keyboard: focus selects the newest, arrows move.
    fireEvent.focus(list);
    fireEvent.keyDown(list, { key: 'ArrowDown' });
    expect(within(list).getAllByRole('option')[1].getAttribute('aria-selected')).toBe('true');
    const diff = await screen.findByLabelText('Changes from version 7 to now');
    const lines = [...diff.querySelectorAll('.diff-line')].map((l) => [
      l.className.replace('diff-line diff-', ''),
      l.textContent?.replace(/\n$/, ''),
    ]);
    expect(lines).toEqual([
      ['same', ' pack'],
      ['del', '−removed: book a train'],
      ['del', '−removed: old line'],
      ['add', '+added: book the train'],
      ['same', ' call mum'],
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Restore this version' }));
    // The confirmation (a native <dialog>, which jsdom does not open).
    fireEvent.click(screen.getByRole('button', { name: 'Restore', hidden: true }));
    await waitFor(() => expect(api.post).toHaveBeenCalledWith('/api/notes/7/revisions/7/restore'));
    expect(beforeRestore).toHaveBeenCalled();
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('has an empty state, an error state with retry, and closes on Escape', async () => {
    serve({ '/api/notes/7/revisions': () => ({ items: [], nextCursor: null }) });
    const { onClose } = setup();
    await screen.findByText('No earlier versions yet');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
    cleanup();

    serve({});
    setup();
    expect((await screen.findByRole('alert')).textContent).toContain('The history could not be loaded');
    serve({ '/api/notes/7/revisions': () => ({ items: [summary(3)], nextCursor: null }) });
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('option');
  });
});

describe(diffVersions.name, () => {
  it('pairs a changed line with its new version word by word', () => {
    expect(diffVersions('a\nthe old word\nc\n', 'a\nthe new word\nc\n')).toEqual([
      { kind: 'same', parts: [{ text: 'a', changed: false }] },
      {
        kind: 'del',
        parts: [
          { text: 'the ', changed: false },
          { text: 'old', changed: true },
          { text: ' word', changed: false },
        ],
      },
      {
        kind: 'add',
        parts: [
          { text: 'the ', changed: false },
          { text: 'new', changed: true },
          { text: ' word', changed: false },
        ],
      },
      { kind: 'same', parts: [{ text: 'c', changed: false }] },
    ]);
  });

  it('a line appended after a last line without a newline changes only the new line', () => {
    expect(diffVersions('a\nlast', 'a\nlast\n\nadded')).toEqual([
      { kind: 'same', parts: [{ text: 'a', changed: false }] },
      { kind: 'same', parts: [{ text: 'last', changed: false }] },
      { kind: 'add', parts: [{ text: '', changed: false }] },
      { kind: 'add', parts: [{ text: 'added', changed: false }] },
    ]);
  });
});
