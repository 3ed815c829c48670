import type { AuthResponse, RegisterRequest } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { startSession } from '../../../lib/auth';

export const registerUser = (input: RegisterRequest): Promise<AuthResponse> =>
  api.post<AuthResponse>('/api/auth/register', input, { auth: false });

export function useRegisterUser({ onSuccess }: { onSuccess?: (auth: AuthResponse) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: registerUser,
    meta: { silent: true },
    onSuccess: (auth) => {
      queryClient.clear();
      startSession(queryClient, auth);
      onSuccess?.(auth);
    },
  });
}
