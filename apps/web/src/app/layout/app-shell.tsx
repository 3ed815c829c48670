import { NavLink, Outlet, useNavigation } from 'react-router-dom';

import { ConnectionIndicator } from '../../components/connection-indicator';
import { LogoutIcon, NoteIcon, TodoIcon, UserIcon } from '../../components/icons';
import { useLogoutUser } from '../../features/auth/api/logout-user';
import { useMe } from '../../lib/auth';
import { useRealtimeSync } from '../realtime/use-realtime-sync';

/** The signed-in frame: header (navigation, live indicator, account, sign out) and the page. */
export function AppShell() {
  useRealtimeSync(true);
  const me = useMe();
  const logout = useLogoutUser();
  const navigation = useNavigation();

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
