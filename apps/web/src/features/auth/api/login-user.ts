import type { AuthResponse, LoginRequest } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { startSession } from '../../../lib/auth';

export const loginUser = (input: LoginRequest): Promise<AuthResponse> => api.post<AuthResponse>('/api/auth/login', input, { auth: false });

export function useLoginUser({ onSuccess }: { onSuccess?: (auth: AuthResponse) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: loginUser,
    // The form shows the errors by field.
    meta: { silent: true },
    onSuccess: (auth) => {
      queryClient.clear();
      startSession(queryClient, auth);
      onSuccess?.(auth);
    },
  });
}
