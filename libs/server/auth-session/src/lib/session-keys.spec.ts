import { SESSION_OWNER_FIELD, sessionKeys } from './session-keys';

/**
 * The session layout on the wire, pinned. auth-service and the gateway import it, so a rename
 * never splits them in one build; but every session already in Redis would end at the deploy
 * (everyone signed out) and a rolling deploy would split old and new processes. Change this test
 * only together with a migration plan for that.
 */
describe('session layout', () => {
  it('is the key layout and owner field deployments already use', () => {
    expect(sessionKeys.session('s1')).toBe('auth:session:s1');
    expect(sessionKeys.userSessions('7')).toBe('auth:user-sessions:7');
    expect(SESSION_OWNER_FIELD).toBe('userId');
  });
});
