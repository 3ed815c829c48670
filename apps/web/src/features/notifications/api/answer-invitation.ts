import type { Invitation } from '@micronote/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { notificationKeys } from './notification-keys';

export interface AnswerInvitationInput {
  invitation: Pick<Invitation, 'kind' | 'id'>;
  accept: boolean;
}

const mePath = ({ kind, id }: AnswerInvitationInput['invitation']) =>
  `/api/${kind === 'note' ? 'notes' : 'lists'}/${encodeURIComponent(id)}/members/me`;

/** Accept: `POST …/members/me/accept`; decline: `DELETE …/members/me`. */
export const answerInvitation = async ({ invitation, accept }: AnswerInvitationInput): Promise<void> => {
  if (accept) await api.post(`${mePath(invitation)}/accept`);
  else await api.delete(mePath(invitation));
};

/**
 * Answers an invitation: it leaves the list at once. What it opens (a shared note, a list) lives
 * in other features: the caller refreshes those in `onSuccess` (the app composes them).
 */
export function useAnswerInvitation({ onSuccess }: { onSuccess?: (input: AnswerInvitationInput) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: answerInvitation,
    meta: { silent: true },
    onSuccess: (_, input) => {
      queryClient.setQueryData<Invitation[]>(notificationKeys.invitations(), (items) =>
        items?.filter((i) => !(i.kind === input.invitation.kind && i.id === input.invitation.id)),
      );
      onSuccess?.(input);
    },
    // Answered elsewhere meanwhile, or not: the list shows what is left.
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.invitations() }),
  });
}
