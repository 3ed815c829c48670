import type { UpdateProfileRequest, User } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { authKeys } from '../../../lib/auth';

export const updateProfile = (input: UpdateProfileRequest): Promise<User> => api.patch<User>('/api/users/me', input);

export function useUpdateProfile({ onSuccess }: { onSuccess?: (user: User) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateProfile,
    meta: { silent: true },
    onSuccess: (user) => {
      queryClient.setQueryData<User>(authKeys.me(), user);
      onSuccess?.(user);
    },
  });
}
