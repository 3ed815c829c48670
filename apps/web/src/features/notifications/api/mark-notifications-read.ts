import type { MarkNotificationsReadRequest } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import type { NotificationPages } from './get-notifications';
import { notificationKeys } from './notification-keys';

/** `POST /api/notifications/read`: these ids, or (none) all. */
export const markNotificationsRead = (input: MarkNotificationsReadRequest): Promise<void> =>
  api.post<void>('/api/notifications/read', input);

/** Shown read at once; the list is checked with the server after. */
export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markNotificationsRead,
    onMutate: async ({ ids }) => {
      await queryClient.cancelQueries({ queryKey: notificationKeys.list() });
      const now = new Date().toISOString();
      queryClient.setQueryData<NotificationPages>(notificationKeys.list(), (data) => {
        if (!data) return data;
        const marks = (id: string) => !ids || ids.includes(id);
        const newlyRead = data.pages.flatMap((p) => p.items).filter((n) => !n.readAt && marks(n.id)).length;
        return {
          ...data,
          pages: data.pages.map((p, i) => ({
            ...p,
            items: p.items.map((n) => (!n.readAt && marks(n.id) ? { ...n, readAt: now } : n)),
            unread: i === 0 ? (ids ? Math.max(0, p.unread - newlyRead) : 0) : p.unread,
          })),
        };
      });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.list() }),
  });
}
