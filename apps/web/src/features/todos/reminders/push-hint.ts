import type { QueryClient } from '@tanstack/react-query';

import { toast } from '../../../lib/toast';
import type { WebPushStatus } from '../../../lib/web-push';
import { fetchWebPushStatus, toggleWebPush } from '../../../lib/web-push';

/** Set once the hint was shown in this browser: it is offered once, never again after. */
export const PUSH_HINT_KEY = 'micronote.reminders.pushHintShown';

/** What enabling answered, for people (denied: where to undo it). */
export function pushStatusMessage(status: WebPushStatus): { text: string; ok: boolean } {
  switch (status.state) {
    case 'subscribed':
      return { text: 'Browser notifications are on: reminders reach you even when MicroNote is closed.', ok: true };
    case 'denied':
      return { text: 'Notifications are blocked for this site. Allow them in your browser’s site settings, then try again.', ok: false };
    case 'unsupported':
      return { text: status.reason, ok: false };
    case 'error':
      return { text: `Browser notifications could not be turned on: ${status.message}`, ok: false };
    case 'default':
      return { text: 'Browser notifications were not turned on (the browser’s question was dismissed).', ok: false };
  }
}

/**
 * The first time this browser sets a reminder, and only while push could be turned on (not yet
 * asked, not blocked, supported): an unobtrusive toast "Get reminders even when MicroNote is
 * closed" with Enable. Its click is the user's gesture the permission prompt needs; nothing is
 * asked before it.
 */
export async function offerPushAfterReminder(queryClient: QueryClient): Promise<void> {
  try {
    if (localStorage.getItem(PUSH_HINT_KEY)) return;
  } catch {
    return; // No storage: the hint could not be kept to once, so it is not shown.
  }
  const status = await fetchWebPushStatus();
  if (status.state !== 'default') return;
  localStorage.setItem(PUSH_HINT_KEY, new Date().toISOString());
  toast('Get reminders even when MicroNote is closed', 'info', {
    label: 'Enable',
    run: () =>
      void toggleWebPush(queryClient, true).then((answer) => {
        const message = pushStatusMessage(answer);
        if (message.ok) toast.success(message.text);
        else toast.error(message.text);
      }),
  });
}
