import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';

import { Spinner } from '../components/states';
import { restoreSession } from '../lib/auth';
import { useSession } from '../lib/session';
import { queryClient } from './provider';

/** Pages for signed-in users: wait while the session is restored, else send to the sign-in page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, error } = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (status === 'signedIn') return children;
  if (status === 'signedOut') return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return (
    <main id="main" className="splash">
      {error ? (
        <div className="error-state" role="alert">
          <p className="error-state-title">{t('session.unreachable')}</p>
          <p className="error-state-body">{error}</p>
          <button type="button" className="btn btn-primary" onClick={() => void restoreSession(queryClient)}>
            {t('actions.retry')}
          </button>
        </div>
      ) : (
        <Spinner label={t('session.signingIn')} />
      )}
    </main>
  );
}

/** Where to go once signed in: the page that sent us to sign in, or the notes. */
function useReturnTo(): string {
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  return from && from.startsWith('/') && !from.startsWith('//') ? from : '/notes';
}

/** Sign-in and registration: a signed-in user (also right after signing in) goes on to the app. */
export function GuestOnly({ children }: { children: ReactNode }) {
  const { status, error } = useSession();
  const returnTo = useReturnTo();
  const { t } = useTranslation();
  if (status === 'signedIn') return <Navigate to={returnTo} replace />;
  if (status === 'restoring' && !error)
    return (
      <main id="main" className="splash">
        <Spinner label={t('session.signingIn')} />
      </main>
    );
  return children;
}
