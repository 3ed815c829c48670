import { randomBytes } from 'node:crypto';

import { DEV_JWT_SECRET } from './env';
import { estimatedSecretBits, secretProblems, urlPassword } from './secrets';

describe(secretProblems.name, () => {
  it('accepts 32 random bytes in every usual encoding, every time', () => {
    const refused: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const bytes = randomBytes(32);
      for (const value of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url'), bytes.toString('hex').toUpperCase()]) {
        if (secretProblems('JWT_SECRET', value).length > 0) refused.push(value);
      }
    }
    expect(refused).toEqual([]);
  });

  it('accepts a long passphrase of mixed classes', () => {
    expect(secretProblems('JWT_SECRET', 'Tr0ub4dor&3 horse-Battery_staple;9 Kq!zV')).toEqual([]);
  });

  it.each([
    ['the dev default', DEV_JWT_SECRET],
    ['the compose example', 'compose-local-only-secret-change-me-0123456789'],
    ['the k8s example', 'change-me-to-a-random-string-of-at-least-32-characters'],
    ['the k8s database example', 'change-me'],
    ['the compose database example', 'micronote-local'],
    ['a placeholder word', `${randomBytes(32).toString('hex')}-placeholder`],
    ['"secret" inside', `my-Secret-${randomBytes(32).toString('base64url')}`],
    ['"password" inside', `PASSWORD${randomBytes(32).toString('hex')}`],
    ['"example" inside', `${randomBytes(32).toString('hex')}.example`],
    ['repeated characters', 'p'.repeat(64)],
    ['a repeated unit', 'aB3$'.repeat(16)],
    ['a long sequence', `abcdefghij${randomBytes(32).toString('hex')}`],
    ['31 random bytes of hex', randomBytes(31).toString('hex')],
    ['31 random bytes of base64', randomBytes(31).toString('base64url')],
    ['a short word', 'hunter2'],
    ['a 40-character lower-case sentence', 'the quick brown fox jumps over a lazy do'],
    ['empty', ''],
  ])('refuses %s', (_label, value) => {
    expect(secretProblems('JWT_SECRET', value).length).toBeGreaterThan(0);
  });

  it('names the variable and never the value', () => {
    const value = 'secret-abc';
    const problems = secretProblems('the password in REDIS_URL', value);
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem).toContain('the password in REDIS_URL');
      expect(problem).not.toContain(value);
      expect(problem).not.toContain('abc');
    }
  });
});

describe(estimatedSecretBits.name, () => {
  it('counts 4 bits per hex character, 6 per base64 character, the used classes otherwise', () => {
    expect(estimatedSecretBits('ab'.repeat(32))).toBe(256);
    expect(estimatedSecretBits('G'.repeat(43))).toBe(258);
    expect(estimatedSecretBits(`${'G'.repeat(43)}=`)).toBe(258);
    expect(estimatedSecretBits('a b')).toBeCloseTo(3 * Math.log2(59));
  });
});

describe(urlPassword.name, () => {
  it('reads the percent-decoded password of a URL, if any', () => {
    expect(urlPassword('redis://:p%40ss@redis:6379')).toBe('p@ss');
    expect(urlPassword('mysql://user:pw@db:3306')).toBe('pw');
    expect(urlPassword('redis://redis:6379')).toBeUndefined();
    expect(urlPassword('mysql://root@127.0.0.1:3306')).toBeUndefined();
    expect(urlPassword('not a url')).toBeUndefined();
  });
});
