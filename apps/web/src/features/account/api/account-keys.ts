/** Query keys of the account feature (the user itself is `authKeys.me()` in lib/auth). */
export const accountKeys = {
  all: ['account'] as const,
  sessions: () => [...accountKeys.all, 'sessions'] as const,
  stats: () => [...accountKeys.all, 'stats'] as const,
};
