/**
 * The session layout in Redis, owned by auth-service and read by the gateway (relative to
 * REDIS_KEY_PREFIX). `session(sid)` is a hash (see `SessionRecord`) whose `SESSION_OWNER_FIELD`
 * names the session's owner: the gateway's one check per request is `HGET session(sid) userId`.
 * `userSessions(uid)` is the set of a user's session ids.
 */
export const sessionKeys = {
  session: (sessionId: string) => `auth:session:${sessionId}`,
  userSessions: (userId: string) => `auth:user-sessions:${userId}`,
} as const;

/** The field of the session hash that names its owner (the token's `sub` must match it). */
export const SESSION_OWNER_FIELD = 'userId' as const;
