/**
 * Every Redis name the services and the gateway agree on for events and the read cache: owned
 * here, imported by both sides, spelled nowhere else. Keys are relative to REDIS_KEY_PREFIX
 * (ioredis adds it); pub/sub channels are not prefixed by ioredis, so they take the prefix here.
 */

/** The user's event stream (XADD by the services, XRANGE by every watcher). */
export const eventKeys = {
  userStream: (userId: string) => `events:user:${userId}`,
  /** Marks an event published with `EventLog.publishOnce` (a reminder: `reminder:<todo id>:<seq>`). */
  once: (key: string) => `events:once:${key}`,
} as const;

/** Pub/sub channels, under the deployment's REDIS_KEY_PREFIX. */
export const channels = {
  /** Every change event, live (services → gateways and the services' watch streams). */
  events: (prefix: string) => `${prefix}events`,
  /** Ended sessions (auth-service → gateways, which cut those sockets). */
  sessionsRevoked: (prefix: string) => `${prefix}sessions`,
  /** A note's live-collaboration relay (notes-service and gateways → gateways; binary, see CollabRelay). */
  collab: (prefix: string, noteId: string) => `${prefix}collab:{${noteId}}`,
} as const;

/** The read-cache scopes: a service bumps its scope's version on every write, the gateway's edge cache reads under it. */
export const CacheScope = {
  Notes: 'notes',
  Todos: 'todos',
} as const;

export type CacheScope = (typeof CacheScope)[keyof typeof CacheScope];

/** The read cache's keys: the user's version per scope, the entries under it, and their index. */
export const cacheKeys = {
  version: (scope: CacheScope, userId: string) => `cache:${scope}:ver:${userId}`,
  index: (scope: CacheScope, userId: string) => `cache:${scope}:idx:${userId}`,
  entry: (scope: CacheScope, userId: string, version: string, queryHash: string) => `cache:${scope}:${userId}:${version}:${queryHash}`,
} as const;
