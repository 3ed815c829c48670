import { credentialLockKey, lockAddress, lockSubject } from './credential-lock';

describe('credential lock keys', () => {
  it('count an IPv6 client by its /64 and an IPv4-mapped one as IPv4', () => {
    expect(lockAddress('2001:db8:1:2::7')).toBe('2001:db8:1:2::/64');
    expect(lockAddress('2001:0DB8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(lockAddress('::1')).toBe('0:0:0:0::/64');
    expect(lockAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(lockAddress('10.1.2.3')).toBe('10.1.2.3');
    expect(lockAddress('')).toBe('unknown');
  });

  it('key a resolved account by its id and an unknown login by its normalised spelling, never as sent', () => {
    expect(lockSubject('42', 'whatever')).toBe('user:42');
    expect(lockSubject(null, ' Ghöst ')).toBe(lockSubject(null, 'GHOST'));
    expect(lockSubject(null, 'ghost')).not.toContain('ghost');
    expect(credentialLockKey('user:42', '::ffff:1.2.3.4')).toBe('credential-lock:user:42:1.2.3.4');
  });
});
