import { randomBytes } from 'node:crypto';

import { BaseEnv, DEV_JWT_SECRET, JwtEnv, MysqlEnv, RedisEnv, validateEnv } from './env';

describe(validateEnv.name, () => {
  const validate = validateEnv({ HTTP_PORT: 3004, DB_NAME: 'micronote_users' }, BaseEnv, MysqlEnv, JwtEnv);

  it('applies defaults and converts numbers', () => {
    const env = validate({ HTTP_PORT: '4000', DB_POOL_SIZE: '7' });
    expect(env).toMatchObject({
      HTTP_PORT: 4000,
      DB_POOL_SIZE: 7,
      DB_NAME: 'micronote_users',
      MYSQL_URL: 'mysql://root@127.0.0.1:3306',
      JWT_SECRET: DEV_JWT_SECRET,
      NODE_ENV: 'development',
    });
  });

  it('keeps unrelated variables out of the config', () => {
    expect(validate({ PATH: '/usr/bin' })).not.toHaveProperty('PATH');
  });

  it('names the bad variable and never its value', () => {
    expect(() => validate({ MYSQL_URL: 'postgres://secret-password@db' })).toThrow(/MYSQL_URL/);
    try {
      validate({ MYSQL_URL: 'postgres://secret-password@db' });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-password');
    }
  });

  it('refuses a bad port', () => {
    expect(() => validate({ HTTP_PORT: 'eighty' })).toThrow(/HTTP_PORT/);
  });

  it('refuses the dev JWT secret in production', () => {
    expect(() => validate({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(validate({ NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('base64url') }).NODE_ENV).toBe('production');
  });

  describe('in production', () => {
    const withRedis = validateEnv({ HTTP_PORT: 3004, DB_NAME: 'micronote_users' }, BaseEnv, MysqlEnv, RedisEnv, JwtEnv);
    const strong = () => randomBytes(32).toString('hex');
    const production = { NODE_ENV: 'production', JWT_SECRET: strong() };
    const refusal = (raw: Record<string, string>) => {
      try {
        withRedis(raw);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };

    it.each([
      ['a placeholder', 'compose-local-only-secret-change-me-0123456789'],
      ['a repeated character', 'p'.repeat(40)],
      ['a low-entropy value', 'Correct-Horse-Battery-1'],
    ])('refuses %s as JWT_SECRET, naming it but not the value', (_label, value) => {
      const message = refusal({ ...production, JWT_SECRET: value });
      expect(message).toMatch(/JWT_SECRET/);
      expect(message).not.toContain(value);
    });

    it('refuses a weak password inside REDIS_URL or MYSQL_URL', () => {
      expect(refusal({ ...production, REDIS_URL: 'redis://:micronote-local@redis:6379' })).toMatch(/password in REDIS_URL/);
      expect(refusal({ ...production, MYSQL_URL: 'mysql://micronote:change-me@mysql:3306' })).toMatch(/password in MYSQL_URL/);
      expect(refusal({ ...production, MYSQL_URL: 'mysql://micronote:change-me@mysql:3306' })).not.toContain('change-me');
    });

    it('accepts random secrets, and URLs without a password', () => {
      expect(refusal({ ...production, REDIS_URL: `redis://:${strong()}@redis:6379`, MYSQL_URL: `mysql://micronote:${strong()}@mysql:3306` })).toBe(
        'accepted',
      );
      expect(refusal(production)).toBe('accepted');
    });

    it('leaves development alone', () => {
      expect(refusal({ NODE_ENV: 'development', REDIS_URL: 'redis://:x@redis:6379' })).toBe('accepted');
    });
  });
});
