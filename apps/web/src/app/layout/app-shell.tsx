import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { NavLink, Outlet, useLocation, useNavigation } from 'react-router-dom';

import { ConnectionIndicator } from '../../components/connection-indicator';
import { LogoutIcon, NoteIcon, TodoIcon, UserIcon } from '../../components/icons';
import { useLogoutUser } from '../../features/auth/api/logout-user';
import { noteKeys } from '../../features/notes/api/note-keys';
import { NotificationsBell } from '../../features/notifications/components/notifications-bell';
import { todoKeys } from '../../features/todos/api/todo-keys';
import { acknowledgeReminders, useUnacknowledgedReminders } from '../../features/todos/reminders/reminder-store';
import { ReminderToasts } from '../../features/todos/reminders/reminder-toasts';
import { useMe } from '../../lib/auth';
import { useRealtimeSync } from '../realtime/use-realtime-sync';

const subscribeVisibility = (onChange: () => void) => {
  document.addEventListener('visibilitychange', onChange);
  return () => document.removeEventListener('visibilitychange', onChange);
};
const isVisible = () => document.visibilityState === 'visible';

/**
 * Reminders that fired count in the Todos badge and the title until the user looks at the Todos
 * page: opening it, or coming back to a tab that shows it (one that fires while it is in view is
 * seen at once).
 */
function useReminderBadge(): number {
  const count = useUnacknowledgedReminders();
  const onTodos = useLocation().pathname.startsWith('/todos');
  const visible = useSyncExternalStore(subscribeVisibility, isVisible, () => true);
  useEffect(() => {
    if (count > 0 && onTodos && visible) acknowledgeReminders();
  }, [count, onTodos, visible]);
  return onTodos && visible ? 0 : count;
}

/** The signed-in frame: header (navigation, live indicator, account, sign out), the reminders and the page. */
export function AppShell() {
  useRealtimeSync(true);
  const reminders = useReminderBadge();
  const me = useMe();
  const logout = useLogoutUser();
  const navigation = useNavigation();
  const queryClient = useQueryClient();

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/notes" className="brand" aria-label="MicroNote home">
          <span className="brand-mark" aria-hidden="true">
            M
          </span>
          <span className="brand-name">MicroNote</span>
        </NavLink>
        <nav className="topnav" aria-label="Main">
          <NavLink to="/notes" className="topnav-link">
            <NoteIcon />
            <span className="narrow-sr-only">Notes</span>
          </NavLink>
          <NavLink to="/todos" className="topnav-link">
            <TodoIcon />
            <span className="narrow-sr-only">Todos</span>
            {reminders > 0 && (
              <>
                <span className="nav-badge" aria-hidden="true" data-count={reminders}>
                  {reminders > 99 ? '99+' : reminders}
                </span>
                <span className="visually-hidden">, {reminders === 1 ? '1 new reminder' : `${reminders} new reminders`}</span>
              </>
            )}
          </NavLink>
          <NavLink to="/account" className="topnav-link">
            <UserIcon />
            <span className="narrow-sr-only topnav-account">
              {me.data ? (
                <>
                  <span className="visually-hidden">Account: </span>
                  {me.data.name}
                </>
              ) : (
                'Account'
              )}
            </span>
          </NavLink>
        </nav>
        <div className="topbar-end">
          <ConnectionIndicator />
          <NotificationsBell
            onInvitationAnswered={({ invitation, accept }) => {
              // What an accepted invitation opens: the shared notes, or the lists and their todos.
              if (!accept) return;
              if (invitation.kind === 'note') void queryClient.invalidateQueries({ queryKey: noteKeys.lists() });
              else void queryClient.invalidateQueries({ queryKey: todoKeys.all });
            }}
          />
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => logout.mutate()} disabled={logout.isPending}>
            <LogoutIcon />
            <span className="narrow-sr-only">Sign out</span>
          </button>
        </div>
      </header>
      <ReminderToasts />
      {navigation.state === 'loading' && <div className="route-progress" role="progressbar" aria-label="Loading page" />}
      <Outlet />
    </div>
  );
}
