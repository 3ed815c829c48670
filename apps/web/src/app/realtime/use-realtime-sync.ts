import type { RealtimeClient } from '@micronote/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { notificationText } from '../../features/notifications/lib/notification-text';
import { applyReminderEvent } from '../../features/todos/reminders/reminder-events';
import { clientId } from '../../lib/client-id';
import { session } from '../../lib/session';
import { connectRealtime } from '../../lib/socket';
import { toast } from '../../lib/toast';
import { applyChangeEvent } from './apply-change-event';

const RETRY_AFTER_GIVE_UP_MS = 5_000;

/**
 * Keeps the cache in step with the user's other tabs and devices while signed in: one socket per
 * tab, every event applied through applyChangeEvent. Catch-up after a reconnect is the realtime
 * client's (it resumes after the last event it saw); when there is nothing to resume from (no
 * event seen yet) or the server says too much was missed, what is cached is refetched instead.
 */
export function useRealtimeSync(enabled: boolean): void {
  const queryClient = useQueryClient();
  // Bumped to start a new client after the old one gave up while the session is still valid.
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const client: RealtimeClient = connectRealtime({
      onEvent: (event) => {
        applyChangeEvent(queryClient, event, clientId);
        // A reminder shows in every tab, once; todo events update or end the ones on show.
        applyReminderEvent(queryClient, event);
        // A new in-app notification (the bell's badge counts it too) is also told at once.
        if (event.type === 'NOTIFICATION' && event.notification) toast(notificationText(event.notification));
      },
      onResync: () => void queryClient.invalidateQueries(),
      onConnected: () => {
        if (client.lastEventId()) return;
        // Without a last event id the server cannot replay what happened while we were not
        // connected: refetch what was loaded before this moment (in the background).
        const connectedAt = Date.now();
        void queryClient.invalidateQueries(
          { predicate: (query) => query.state.dataUpdatedAt > 0 && query.state.dataUpdatedAt <= connectedAt },
          { cancelRefetch: false },
        );
      },
      onGaveUp: () => {
        // The refresh failed. A refused token has already signed us out; anything else (server
        // unreachable) is temporary: start over in a moment.
        if (session.get().status === 'signedIn') retry = setTimeout(() => setGeneration((g) => g + 1), RETRY_AFTER_GIVE_UP_MS);
      },
    });
    return () => {
      clearTimeout(retry);
      client.close();
    };
  }, [enabled, queryClient, generation]);
}
