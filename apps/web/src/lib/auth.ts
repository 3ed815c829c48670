import type { CookieAuthResponse, User } from '@micronote/contracts';
import type { QueryClient } from '@tanstack/react-query';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { api, ApiError, errorMessage } from './api-client';
import { session } from './session';
import { tokens } from './tokens';

/**
 * The signed-in user and the session's start and end. Shared (lib, not a feature) because the
 * header, the account pages and the realtime sync all need the current user.
 */
export const authKeys = {
  all: ['auth'] as const,
  me: () => [...authKeys.all, 'me'] as const,
};

export const getMe = (signal?: AbortSignal): Promise<User> => api.get<User>('/api/auth/me', { signal });

export const meQueryOptions = () => queryOptions({ queryKey: authKeys.me(), queryFn: ({ signal }) => getMe(signal) });

export const useMe = () => useQuery(meQueryOptions());

/**
 * After register, login or a refresh on page load: keep the access token (in memory; the refresh
 * token is the gateway's HttpOnly cookie, whatever the body says), seed the user, go.
 */
export function startSession(queryClient: QueryClient, auth: CookieAuthResponse): void {
  tokens.set(auth.accessToken);
  queryClient.setQueryData(authKeys.me(), auth.user);
  session.set({ status: 'signedIn' });
}

/**
 * On page load in a browser with a session: exchange the refresh cookie for an access token (and the user). A
 * refused token signs out (inside the API client); when the server cannot be reached the session
 * stays `restoring` with an error, so the page can offer to retry instead of pretending the user
 * signed out.
 */
export async function restoreSession(queryClient: QueryClient): Promise<void> {
  if (session.get().status !== 'restoring') return;
  session.set({ status: 'restoring' });
  try {
    startSession(queryClient, await api.refreshSession());
  } catch (error) {
    if (session.get().status !== 'restoring') return;
    if (error instanceof ApiError && (error.status === 400 || error.status === 401))
      session.set({ status: 'signedOut', reason: 'expired' });
    else session.set({ status: 'restoring', error: errorMessage(error) });
  }
}
