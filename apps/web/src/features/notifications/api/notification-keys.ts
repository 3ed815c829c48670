/** Query keys of the notifications feature (the bell: notifications and the invitations waiting for an answer). */
export const notificationKeys = {
  all: ['notifications'] as const,
  list: () => [...notificationKeys.all, 'list'] as const,
  invitations: () => [...notificationKeys.all, 'invitations'] as const,
};
