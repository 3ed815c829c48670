import { lazy, Suspense, useState } from 'react';

import { BellIcon } from '../../../components/icons';
import { unreadCount, useNotifications } from '../api/get-notifications';
import type { NotificationsPanelProps } from './notifications-panel';

/** The panel (and what it lists) loads on the first click: the bell itself is all the first paint needs. */
const NotificationsPanel = lazy(() => import('./notifications-panel').then((m) => ({ default: m.NotificationsPanel })));

/**
 * The header's bell: the unread count as a badge (kept live by the realtime NOTIFICATION events),
 * and on click the notifications panel with the invitations waiting for an answer.
 */
export function NotificationsBell({ onInvitationAnswered }: Pick<NotificationsPanelProps, 'onInvitationAnswered'>) {
  const notifications = useNotifications();
  const unread = unreadCount(notifications.data);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="icon-btn bell"
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
        title="Notifications and invitations"
        aria-haspopup="dialog"
        aria-expanded={open}
        data-unread={unread}
        onClick={() => setOpen((o) => !o)}
      >
        <BellIcon />
        {unread > 0 && (
          <span className="bell-badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <Suspense fallback={null}>
          <NotificationsPanel onClose={() => setOpen(false)} onInvitationAnswered={onInvitationAnswered} />
        </Suspense>
      )}
    </>
  );
}
