import { useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet, useNavigation } from 'react-router-dom';

import { ConnectionIndicator } from '../../components/connection-indicator';
import { LogoutIcon, NoteIcon, TodoIcon, UserIcon } from '../../components/icons';
import { useLogoutUser } from '../../features/auth/api/logout-user';
import { noteKeys } from '../../features/notes/api/note-keys';
import { NotificationsBell } from '../../features/notifications/components/notifications-bell';
import { todoKeys } from '../../features/todos/api/todo-keys';
import { useMe } from '../../lib/auth';
import { useRealtimeSync } from '../realtime/use-realtime-sync';

/** The signed-in frame: header (navigation, live indicator, account, sign out) and the page. */
export function AppShell() {
  useRealtimeSync(true);
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
      {navigation.state === 'loading' && <div className="route-progress" role="progressbar" aria-label="Loading page" />}
      <Outlet />
    </div>
  );
}
