import type { InviteMemberRequest, Member, MemberRole, MembersResponse } from '@micronote/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '../../lib/api-client';
import type { SharedItem } from './member-keys';
import { memberKeys, membersPath } from './member-keys';

/** `GET …/members`: the owner and everyone invited (pending ones only for the owner). */
export const getMembers = (item: SharedItem, signal?: AbortSignal): Promise<MembersResponse> =>
  api.get<MembersResponse>(membersPath(item), { signal });

export const membersQueryOptions = (item: SharedItem) =>
  queryOptions({ queryKey: memberKeys.item(item), queryFn: ({ signal }) => getMembers(item, signal), meta: { silent: true } });

export const useMembers = (item: SharedItem) => useQuery(membersQueryOptions(item));

export interface InviteMemberInput extends InviteMemberRequest {
  item: SharedItem;
}

export const inviteMember = ({ item, ...body }: InviteMemberInput): Promise<Member> => api.post<Member>(membersPath(item), body);

export interface UpdateMemberInput {
  item: SharedItem;
  userId: string;
  role: MemberRole;
}

export const updateMember = ({ item, userId, role }: UpdateMemberInput): Promise<Member> =>
  api.patch<Member>(`${membersPath(item)}/${encodeURIComponent(userId)}`, { role });

export interface RemoveMemberInput {
  item: SharedItem;
  /** A member's id, or `me`: leave (or decline). */
  userId: string;
}

export const removeMember = ({ item, userId }: RemoveMemberInput): Promise<void> =>
  api.delete(`${membersPath(item)}/${encodeURIComponent(userId)}`);

/** One answer of the members routes put into the cached list (new member, new role). */
function withMember(data: MembersResponse | undefined, member: Member): MembersResponse | undefined {
  if (!data) return data;
  const known = data.items.some((m) => m.user.id === member.user.id);
  return { ...data, items: known ? data.items.map((m) => (m.user.id === member.user.id ? member : m)) : [...data.items, member] };
}

/** The invite form shows the API's codes by its field (meta silent: no global toast). */
export function useInviteMember({ onSuccess }: { onSuccess?: (member: Member) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: inviteMember,
    meta: { silent: true },
    onSuccess: (member, { item }) => {
      queryClient.setQueryData<MembersResponse>(memberKeys.item(item), (data) => withMember(data, member));
      void queryClient.invalidateQueries({ queryKey: memberKeys.item(item) });
      onSuccess?.(member);
    },
  });
}

export function useUpdateMember({ onSuccess }: { onSuccess?: (member: Member) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateMember,
    meta: { silent: true },
    onSuccess: (member, { item }) => {
      queryClient.setQueryData<MembersResponse>(memberKeys.item(item), (data) => withMember(data, member));
      onSuccess?.(member);
    },
    onSettled: (_, __, { item }) => void queryClient.invalidateQueries({ queryKey: memberKeys.item(item) }),
  });
}

/** Removes a member (owner), or leaves / declines (`userId: 'me'`). */
export function useRemoveMember({ onSuccess }: { onSuccess?: (input: RemoveMemberInput) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeMember,
    meta: { silent: true },
    onSuccess: (_, input) => {
      if (input.userId === 'me') queryClient.removeQueries({ queryKey: memberKeys.item(input.item) });
      else
        queryClient.setQueryData<MembersResponse>(memberKeys.item(input.item), (data) =>
          data ? { ...data, items: data.items.filter((m) => m.user.id !== input.userId) } : data,
        );
      onSuccess?.(input);
    },
    onError: (_, { item }) => void queryClient.invalidateQueries({ queryKey: memberKeys.item(item) }),
  });
}
