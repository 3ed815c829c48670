import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, useRouteError } from 'react-router-dom';

import { Spinner } from '../components/states';
import { LoginPage } from '../features/auth/components/login-page';
import { RegisterPage } from '../features/auth/components/register-page';
import { NoNoteSelected, NoteEditorRoute } from '../features/notes/components/note-editor';
import { NotesPage } from '../features/notes/components/notes-page';
import { AppShell } from './layout/app-shell';
import { NotFoundPage } from './layout/not-found';
import { GuestOnly, RequireAuth } from './require-auth';

/** A route failed to render or its code failed to load (e.g. a new deployment replaced the chunks). */
function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  return (
    <main id="main" className="splash">
      <div className="error-state" role="alert">
        <p className="error-state-title">{t('routeError.title')}</p>
        <p className="error-state-body">{error instanceof Error ? error.message : t('routeError.body')}</p>
        <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
          {t('actions.reload')}
        </button>
      </div>
    </main>
  );
}

/** Pages that work without a session (a shared note): the app starts no session for them. */
export const isPublicPath = (pathname: string): boolean => pathname.startsWith('/s/');

/**
 * The notes screen is in the first bundle (it is where a signed-in user lands); todos and the
 * account pages load on first visit.
 */
export const createRouter = () =>
  createBrowserRouter([
    {
      errorElement: <RouteError />,
      // Shown while the code of a lazy route opened directly (e.g. a reload on /todos) loads.
      hydrateFallbackElement: (
        <main id="main" className="splash">
          <Spinner />
        </main>
      ),
      children: [
        {
          path: '/login',
          element: (
            <GuestOnly>
              <LoginPage />
            </GuestOnly>
          ),
        },
        {
          path: '/register',
          element: (
            <GuestOnly>
              <RegisterPage />
            </GuestOnly>
          ),
        },
        {
          path: '/',
          element: (
            <RequireAuth>
              <AppShell />
            </RequireAuth>
          ),
          children: [
            { index: true, element: <Navigate to="/notes" replace /> },
            {
              path: 'notes',
              element: <NotesPage />,
              children: [
                { index: true, element: <NoNoteSelected /> },
                { path: ':noteId', element: <NoteEditorRoute /> },
              ],
            },
            { path: 'todos', lazy: async () => ({ Component: (await import('../features/todos/components/todos-page')).TodosPage }) },
            {
              path: 'account',
              lazy: async () => ({ Component: (await import('../features/account/components/account-page')).AccountPage }),
            },
          ],
        },
        // A shared note: public, outside RequireAuth and the shell (no session, no socket).
        {
          path: '/s/:token',
          lazy: async () => ({ Component: (await import('../features/notes/components/public-note-page')).PublicNotePage }),
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
