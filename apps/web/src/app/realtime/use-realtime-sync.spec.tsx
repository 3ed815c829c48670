import type { ChangeEvent, Note, Page } from '@micronote/contracts';
import type { InfiniteData } from '@tanstack/react-query';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';

import { noteKeys } from '../../features/notes/api/note-keys';
import { activeReminders, clearReminders } from '../../features/todos/reminders/reminder-store';
import { todoFixture } from '../../features/todos/testing/todo-fixtures';
import { clientId } from '../../lib/client-id';
import type { RealtimeHandlers } from '../../lib/socket';
import { connectRealtime } from '../../lib/socket';
import { toast } from '../../lib/toast';
import { useRealtimeSync } from './use-realtime-sync';

jest.mock('../../lib/socket', () => ({ connectRealtime: jest.fn() }));
jest.mock('../../lib/toast', () => ({ toast: jest.fn() }));

const note = (id: string, patch: Partial<Note> = {}): Note => ({
  id,
  title: `Note ${id}`,
  text: '',
  tags: [],
  isPinned: false,
  isArchived: false,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  deletedAt: null,
  ...patch,
});

const LIST = noteKeys.list({ view: 'notes', q: '', tag: '' });

function setup(lastEventId?: string) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData<InfiniteData<Page<Note>, string | null>>(LIST, {
    pages: [{ items: [note('1')], nextCursor: null }],
    pageParams: [null],
  });
  const close = jest.fn();
  let handlers!: RealtimeHandlers;
  jest.mocked(connectRealtime).mockImplementation((h) => {
    handlers = h;
    return { lastEventId: () => lastEventId, close };
  });
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  const hook = renderHook(({ enabled }) => useRealtimeSync(enabled), { wrapper, initialProps: { enabled: true } });
  const titles = () => client.getQueryData<InfiniteData<Page<Note>>>(LIST)?.pages[0].items.map((n) => n.title);
  return { client, hook, close, handlers: () => handlers, titles };
}

const changed = (patch: Partial<ChangeEvent>): ChangeEvent => ({
  id: '5-0',
  type: 'NOTE_UPDATED',
  userId: '1',
  at: '2026-01-02T00:00:00.000Z',
  noteId: '1',
  note: note('1', { title: 'Changed elsewhere', version: 2, updatedAt: '2026-01-02T00:00:00.000Z' }),
  ...patch,
});

describe(useRealtimeSync.name, () => {
  afterEach(() => jest.mocked(connectRealtime).mockReset());

  it('tells a new notification in a toast as it arrives', () => {
    const { handlers } = setup();
    handlers().onEvent(
      changed({
        type: 'NOTIFICATION',
        note: undefined,
        noteId: undefined,
        notification: {
          id: 'n1',
          kind: 'NOTE_SHARED',
          actor: { id: '2', username: 'bob', displayName: 'Bob' },
          subject: { kind: 'note', id: '1', title: 'Trip' },
          readAt: null,
          createdAt: '2026-01-02T00:00:00.000Z',
        },
      }),
    );
    expect(toast).toHaveBeenCalledWith('Bob shared a note with you: “Trip”');
  });

  it('shows a REMINDER once in this tab (also when it is replayed), and a todo event ends it', () => {
    clearReminders();
    const { handlers } = setup('4-0');
    const todo = todoFixture('7', { remindAt: '2030-01-01T09:00:00.000Z' });
    const reminder = changed({ id: '6-0', type: 'REMINDER', note: undefined, noteId: undefined, todoId: '7', todo, late: true });
    handlers().onEvent(reminder);
    handlers().onEvent(reminder);
    expect(activeReminders()).toEqual([expect.objectContaining({ todoId: '7', late: true, acknowledged: false })]);
    handlers().onEvent(
      changed({ id: '7-0', type: 'TODO_COMPLETED', note: undefined, noteId: undefined, todo: { ...todo, completed: true, version: 2 } }),
    );
    expect(activeReminders()).toEqual([]);
  });

  it("applies other tabs' events to the cache and skips this tab's echoes", () => {
    const { handlers, titles } = setup('4-0');
    handlers().onEvent(changed({ clientId, note: note('1', { title: 'My own echo', version: 2 }) }));
    expect(titles()).toEqual(['Note 1']);
    handlers().onEvent(changed({ clientId: 'tab-elsewhere' }));
    expect(titles()).toEqual(['Changed elsewhere']);
  });

  it('refetches everything on resync', () => {
    const { client, handlers } = setup('4-0');
    handlers().onResync();
    expect(client.getQueryState(LIST)?.isInvalidated).toBe(true);
  });

  it('refetches what was loaded before connecting when the server has nothing to replay from', () => {
    const { client, handlers } = setup(undefined);
    handlers().onConnected?.();
    expect(client.getQueryState(LIST)?.isInvalidated).toBe(true);
  });

  it('relies on the replay after a reconnect with a last event id', () => {
    const { client, handlers } = setup('4-0');
    handlers().onConnected?.();
    expect(client.getQueryState(LIST)?.isInvalidated).toBe(false);
  });

  it('closes the socket when disabled (signed out) or unmounted', () => {
    const { hook, close } = setup('4-0');
    hook.rerender({ enabled: false });
    expect(close).toHaveBeenCalledTimes(1);
    expect(connectRealtime).toHaveBeenCalledTimes(1);
  });
});
