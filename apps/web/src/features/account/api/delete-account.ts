import type { DeleteAccountRequest } from '@micronote/contracts';
import { useMutation } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { signOut } from '../../../lib/session';

/** The profile, notes, todos and sessions: all gone (password required). */
export const deleteAccount = (input: DeleteAccountRequest): Promise<void> => api.delete('/api/users/me', { body: input });

export function useDeleteAccount() {
  return useMutation({
    mutationFn: deleteAccount,
    meta: { silent: true },
    onSuccess: () => signOut('deleted'),
  });
}
