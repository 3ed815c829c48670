import type { SessionInfo } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { signOut } from '../../../lib/session';
import { accountKeys } from './account-keys';

/** Ends a session: its tokens stop working at once (on that device it is signed out). */
export const revokeSession = (session: SessionInfo): Promise<void> => api.delete(`/api/auth/sessions/${encodeURIComponent(session.id)}`);

export function useRevokeSession({ onSuccess }: { onSuccess?: (session: SessionInfo) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeSession,
    onSuccess: (_, session) => {
      if (session.current) return signOut('logout');
      void queryClient.invalidateQueries({ queryKey: accountKeys.sessions() });
      onSuccess?.(session);
    },
  });
}
