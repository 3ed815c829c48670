import { useMutation } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { signOut } from '../../../lib/session';

/** Ends this session on the server (its access and refresh tokens stop working at once; the gateway clears the cookie). */
export async function logoutUser(): Promise<void> {
  await api.post<void>('/api/auth/logout', {});
}

export function useLogoutUser() {
  return useMutation({
    mutationFn: logoutUser,
    meta: { silent: true },
    // Signed out locally whatever the server said: the button must always work.
    onSettled: () => signOut('logout'),
  });
}
