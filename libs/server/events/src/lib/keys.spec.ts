import { cacheKeys, CacheScope, channels, eventKeys } from './keys';

/**
 * The names on the wire, pinned. Both sides import them, so a rename here never splits producer
 * and consumer in one build; but it does split a rolling deployment (old gateways, new services)
 * and orphans what Redis already holds (streams, cache versions). Change this test only together
 * with a migration plan for that.
 */
describe('events wire names', () => {
  it('are the stream key, the channels and the cache keys deployments already use', () => {
    expect(eventKeys.userStream('42')).toBe('events:user:42');
    expect(channels.events('mn:')).toBe('mn:events');
    expect(channels.sessionsRevoked('mn:')).toBe('mn:sessions');
    expect(channels.collab('mn:', '42')).toBe('mn:collab:{42}');
    expect(Object.values(CacheScope)).toEqual(['notes', 'todos']);
    expect(cacheKeys.version(CacheScope.Notes, '42')).toBe('cache:notes:ver:42');
    expect(cacheKeys.index(CacheScope.Todos, '42')).toBe('cache:todos:idx:42');
    expect(cacheKeys.entry(CacheScope.Notes, '42', '3', 'h')).toBe('cache:notes:42:3:h');
  });
});
