import type { ChangePasswordRequest } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { accountKeys } from './account-keys';

/** Every other session of the user ends; this one goes on. */
export const changePassword = (input: ChangePasswordRequest): Promise<void> => api.post<void>('/api/users/me/password', input);

export function useChangePassword({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    meta: { silent: true },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: accountKeys.sessions() });
      onSuccess?.();
    },
  });
}
