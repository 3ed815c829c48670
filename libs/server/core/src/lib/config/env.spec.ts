import { BaseEnv, DEV_JWT_SECRET, JwtEnv, MysqlEnv, validateEnv } from './env';

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
    expect(validate({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40) }).NODE_ENV).toBe('production');
  });
});
