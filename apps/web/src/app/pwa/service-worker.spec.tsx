import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';

import { dismissUpdate, registerServiceWorker, type WorkboxLike } from './service-worker';
import { UpdatePrompt } from './update-prompt';

type Listener = (event: { isUpdate?: boolean; isExternal?: boolean }) => void;

/** A Workbox that the test drives: it records listeners and SKIP_WAITING messages. */
function fakeWorkbox() {
  const listeners: Record<string, Listener[]> = { waiting: [], controlling: [] };
  const workbox: WorkboxLike & { skipWaiting: number; url?: string } = {
    skipWaiting: 0,
    addEventListener: (type, listener) => listeners[type].push(listener),
    messageSkipWaiting: () => {
      workbox.skipWaiting += 1;
    },
    register: async () => undefined,
  };
  const emit = (type: 'waiting' | 'controlling', event = {}) => act(() => listeners[type].forEach((listener) => listener(event)));
  return { workbox, emit };
}

function start() {
  const { workbox, emit } = fakeWorkbox();
  const reload = jest.fn();
  registerServiceWorker({
    supported: true,
    reload,
    createWorkbox: (url) => {
      workbox.url = url;
      return workbox;
    },
  });
  return { workbox, emit, reload };
}

afterEach(() => {
  cleanup();
  act(() => dismissUpdate());
});

describe('service worker updates', () => {
  it('registers /sw.js and shows nothing while no new version waits', () => {
    const { workbox } = start();
    render(<UpdatePrompt />);
    expect(workbox.url).toBe('/sw.js');
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('asks before switching: Reload activates the waiting worker and reloads once it controls the tab', () => {
    const { workbox, emit, reload } = start();
    render(<UpdatePrompt />);
    emit('waiting');
    expect(screen.getByRole('status').textContent).toContain('A new version of MicroNote is ready.');
    expect(reload).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(workbox.skipWaiting).toBe(1);
    expect(reload).not.toHaveBeenCalled();
    emit('controlling', { isUpdate: true });
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('Later hides the prompt and reloads nothing', () => {
    const { workbox, emit, reload } = start();
    render(<UpdatePrompt />);
    emit('waiting');
    fireEvent.click(screen.getByRole('button', { name: 'Later' }));
    expect(screen.queryByRole('status')).toBeNull();
    expect(workbox.skipWaiting).toBe(0);
    expect(reload).not.toHaveBeenCalled();
  });

  it('reloads a tab on the old build when another tab accepted the update', () => {
    const { emit, reload } = start();
    emit('controlling', { isUpdate: true, isExternal: true });
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does nothing where service workers are not supported', () => {
    const createWorkbox = jest.fn();
    registerServiceWorker({ supported: false, createWorkbox });
    expect(createWorkbox).not.toHaveBeenCalled();
  });
});
