import type { Invitation, ItemsResponse } from '@micronote/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';

import { api } from '../../../lib/api-client';
import { notificationKeys } from './notification-keys';

/** `GET /api/shared/invitations`: notes and lists shared with you, waiting for your answer. */
export const getInvitations = async (signal?: AbortSignal): Promise<Invitation[]> =>
  (await api.get<ItemsResponse<Invitation>>('/api/shared/invitations', { signal })).items;

export const invitationsQueryOptions = () =>
  queryOptions({ queryKey: notificationKeys.invitations(), queryFn: ({ signal }) => getInvitations(signal), meta: { silent: true } });

export const useInvitations = ({ enabled = true }: { enabled?: boolean } = {}) => useQuery({ ...invitationsQueryOptions(), enabled });
