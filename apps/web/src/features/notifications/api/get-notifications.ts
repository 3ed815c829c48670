import type { AppNotification, NotificationsPage } from '@micronote/contracts';
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { notificationKeys } from './notification-keys';

export type NotificationPages = InfiniteData<NotificationsPage, string | null>;

/** `GET /api/notifications?cursor=`: newest first, with the count of unread ones. */
export const getNotifications = (cursor: string | null, signal?: AbortSignal): Promise<NotificationsPage> =>
  api.get<NotificationsPage>('/api/notifications', { signal, query: { cursor } });

export const notificationsQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: notificationKeys.list(),
    queryFn: ({ pageParam, signal }) => getNotifications(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    meta: { silent: true },
  });

export const useNotifications = () => useInfiniteQuery(notificationsQueryOptions());

/** The unread count the server last said (on the first page), with what arrived since. */
export const unreadCount = (data: { pages: NotificationsPage[] } | undefined): number => data?.pages[0]?.unread ?? 0;

/** A notification that arrived live: at the top of the first page, one more unread (once per id). */
export function addNotificationToCache(queryClient: QueryClient, notification: AppNotification): void {
  queryClient.setQueryData<NotificationPages>(notificationKeys.list(), (data) => {
    if (!data || data.pages.some((p) => p.items.some((n) => n.id === notification.id))) return data;
    const [first, ...rest] = data.pages;
    return {
      ...data,
      pages: [{ ...first, items: [notification, ...first.items], unread: first.unread + (notification.readAt ? 0 : 1) }, ...rest],
    };
  });
}
