import { useMutation } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { signOut } from '../../../lib/session';
import { tokens } from '../../../lib/tokens';

/** Ends this session on the server (its access and refresh tokens stop working at once). */
export async function logoutUser(): Promise<void> {
  const refreshToken = tokens.refresh();
  await api.post<void>('/api/auth/logout', refreshToken ? { refreshToken } : {});
}

export function useLogoutUser() {
  return useMutation({
    mutationFn: logoutUser,
    meta: { silent: true },
    // Signed out locally whatever the server said: the button must always work.
    onSettled: () => signOut('logout'),
  });
}
