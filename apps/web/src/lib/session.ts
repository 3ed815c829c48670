import { createStore, useStore } from './store';
import { SESSION_KEY, tokens } from './tokens';

/**
 * - `restoring`: this browser has a session and its refresh cookie is being exchanged for an access token (page load);
 * - `signedIn`: requests carry an access token;
 * - `signedOut`: no usable tokens (with why, for the sign-in page).
 */
export type SessionStatus = 'restoring' | 'signedIn' | 'signedOut';
export type SignOutReason = 'logout' | 'expired' | 'deleted' | 'elsewhere';

export interface SessionState {
  status: SessionStatus;
  reason?: SignOutReason;
  /** While restoring: why the last attempt failed (the server could not be reached). */
  error?: string;
}

export const session = createStore<SessionState>({ status: tokens.hasSession() ? 'restoring' : 'signedOut' });

export const useSession = (): SessionState => useStore(session);

/** Forgets the tokens and tells everyone (the app clears its caches and shows the sign-in page). */
export function signOut(reason: SignOutReason): void {
  tokens.clear();
  // The first reason wins: requests still in flight after a logout end as "expired" otherwise.
  if (session.get().status !== 'signedOut') session.set({ status: 'signedOut', reason });
}

// Another tab signed out (or the account was deleted there): this tab follows at once rather
// than at its next request.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === SESSION_KEY && event.newValue === null && session.get().status === 'signedIn') signOut('elsewhere');
  });
}
