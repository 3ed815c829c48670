/** The service worker's push handlers (public/push-sw.js), run against a fake worker scope. */
interface PushHandlers {
  reminderNotification(
    payload: unknown,
  ): { title: string; options: NotificationOptions & { actions: unknown[]; data: Record<string, unknown> } } | null;
  handleClick(sw: unknown, event: unknown): Promise<unknown>;
  showReminder(sw: unknown, event: unknown): Promise<unknown>;
}

const scope = globalThis as unknown as { micronotePush: PushHandlers };

require('../../../../public/push-sw.js');
const handlers = scope.micronotePush;

const payload = {
  type: 'REMINDER',
  todoId: '42',
  text: 'Water the plants',
  remindAt: '2026-12-04T21:00:00.000Z',
  dueDate: '2026-12-05T09:00:00.000Z',
  late: true,
  actionToken: 'tok.en.sig',
};

function fakeWorker(windows: { url: string; focus: jest.Mock; navigate?: jest.Mock }[] = []) {
  return {
    location: { origin: 'https://notes.example.com' },
    registration: { showNotification: jest.fn(async () => undefined) },
    clients: { matchAll: jest.fn(async () => windows), openWindow: jest.fn(async () => null) },
    fetch: jest.fn(async () => ({ ok: true })),
  };
}

const click = (action: string, data: unknown = { todoId: '42', actionToken: 'tok.en.sig', url: '/todos' }) => ({
  action,
  notification: { data, close: jest.fn() },
});

describe('push-sw.js', () => {
  it('shows a reminder: the todo as title, due and late in the body, tagged by todo, with Done and Snooze', async () => {
    const notification = handlers.reminderNotification(payload);
    expect(notification?.title).toBe('Water the plants');
    expect(notification?.options).toMatchObject({
      tag: 'todo-42',
      body: expect.stringMatching(/^Late reminder · Due /),
      actions: [
        { action: 'done', title: 'Done' },
        { action: 'snooze', title: 'Snooze 10 min' },
      ],
      data: { todoId: '42', actionToken: 'tok.en.sig', url: '/todos' },
    });
    const sw = fakeWorker();
    await handlers.showReminder(sw, { data: { json: () => payload } });
    expect(sw.registration.showNotification).toHaveBeenCalledWith('Water the plants', expect.objectContaining({ tag: 'todo-42' }));
  });

  it('ignores what is no reminder', async () => {
    expect(handlers.reminderNotification({ type: 'OTHER' })).toBeNull();
    const sw = fakeWorker();
    await handlers.showReminder(sw, { data: { json: () => JSON.parse('not json') } });
    expect(sw.registration.showNotification).not.toHaveBeenCalled();
  });

  it.each(['done', 'snooze'])('posts %s with the action token, without opening the app', async (action) => {
    const sw = fakeWorker();
    const event = click(action);
    await handlers.handleClick(sw, event);
    expect(event.notification.close).toHaveBeenCalled();
    expect(sw.fetch).toHaveBeenCalledWith(
      '/api/push/actions',
      expect.objectContaining({ method: 'POST', body: JSON.stringify({ token: 'tok.en.sig', action }) }),
    );
    expect(sw.clients.openWindow).not.toHaveBeenCalled();
  });

  it('opens the app when the action fails', async () => {
    const sw = fakeWorker();
    sw.fetch.mockResolvedValueOnce({ ok: false });
    await handlers.handleClick(sw, click('done'));
    expect(sw.clients.openWindow).toHaveBeenCalledWith('/todos');
  });

  it('focuses an open tab on /todos on a plain click, or opens one', async () => {
    const tab: { url: string; focus: jest.Mock; navigate: jest.Mock } = {
      url: 'https://notes.example.com/notes',
      focus: jest.fn(),
      navigate: jest.fn(),
    };
    tab.focus.mockResolvedValue(tab);
    tab.navigate.mockResolvedValue(tab);
    const withTab = fakeWorker([tab]);
    await handlers.handleClick(withTab, click(''));
    expect(tab.focus).toHaveBeenCalled();
    expect(tab.navigate).toHaveBeenCalledWith('/todos');
    expect(withTab.fetch).not.toHaveBeenCalled();
    const none = fakeWorker();
    await handlers.handleClick(none, click(''));
    expect(none.clients.openWindow).toHaveBeenCalledWith('/todos');
  });
});
