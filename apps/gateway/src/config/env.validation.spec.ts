import { randomBytes } from 'node:crypto';

import { generateVAPIDKeys } from 'web-push';

import { apiDocsEnabled, validate } from './env.validation';

describe('gateway env: rate limits', () => {
  it('defaults to 20 sign-in requests per minute and 50 API requests per second', () => {
    expect(validate({})).toMatchObject({ AUTH_RATE_LIMIT: 20, API_RATE_LIMIT: 50 });
  });

  it('reads integers from strings; 0 turns a limit off', () => {
    expect(validate({ AUTH_RATE_LIMIT: '5', API_RATE_LIMIT: '0' })).toMatchObject({ AUTH_RATE_LIMIT: 5, API_RATE_LIMIT: 0 });
  });

  it('refuses negative or non-integer values, naming the variable', () => {
    expect(() => validate({ AUTH_RATE_LIMIT: '-1' })).toThrow(/AUTH_RATE_LIMIT/);
    expect(() => validate({ API_RATE_LIMIT: '1.5' })).toThrow(/API_RATE_LIMIT/);
  });
});

describe('gateway env: API docs', () => {
  // Production refuses placeholder secrets: a random one (and needs the VAPID public key).
  const secret = { JWT_SECRET: randomBytes(32).toString('hex'), VAPID_PUBLIC_KEY: generateVAPIDKeys().publicKey };

  it('serves /api/docs in development and test, not in production', () => {
    expect(apiDocsEnabled(validate({}))).toBe(true);
    expect(apiDocsEnabled(validate({ NODE_ENV: 'test' }))).toBe(true);
    expect(apiDocsEnabled(validate({ NODE_ENV: 'production', ...secret }))).toBe(false);
  });

  it('API_DOCS=true turns them on in production, API_DOCS=false off anywhere', () => {
    expect(apiDocsEnabled(validate({ NODE_ENV: 'production', API_DOCS: 'true', ...secret }))).toBe(true);
    expect(apiDocsEnabled(validate({ NODE_ENV: 'development', API_DOCS: 'false' }))).toBe(false);
  });

  it('refuses anything but true or false, naming the variable', () => {
    expect(() => validate({ API_DOCS: 'yes' })).toThrow(/API_DOCS must be true or false/);
  });
});

describe('gateway env: Web Push', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex') };

  it('is off without VAPID_PUBLIC_KEY outside production, and production refuses to start without it', () => {
    expect(validate({}).VAPID_PUBLIC_KEY).toBeUndefined();
    expect(() => validate(production)).toThrow(/VAPID_PUBLIC_KEY must be set when NODE_ENV=production/);
    expect(validate({ ...production, VAPID_PUBLIC_KEY: generateVAPIDKeys().publicKey }).NODE_ENV).toBe('production');
  });

  it('refuses a key that is not a P-256 public key, and PUSH_ALLOW_PRIVATE_ENDPOINTS=true in production', () => {
    expect(() => validate({ VAPID_PUBLIC_KEY: 'AAAA' })).toThrow(/VAPID_PUBLIC_KEY must be an uncompressed P-256 public key/);
    expect(() =>
      validate({ ...production, VAPID_PUBLIC_KEY: generateVAPIDKeys().publicKey, PUSH_ALLOW_PRIVATE_ENDPOINTS: 'true' }),
    ).toThrow(/PUSH_ALLOW_PRIVATE_ENDPOINTS must not be true/);
  });
});

describe('gateway env: share links', () => {
  it('limits public link reads to 60 per minute per IP by default; WEB_ORIGIN is optional', () => {
    expect(validate({})).toMatchObject({ PUBLIC_NOTE_RATE_LIMIT: 60 });
    expect(validate({}).WEB_ORIGIN).toBeUndefined();
    expect(validate({ WEB_ORIGIN: 'https://notes.example.com' }).WEB_ORIGIN).toBe('https://notes.example.com');
    expect(validate({ WEB_ORIGIN: 'http://127.0.0.1:5173' }).WEB_ORIGIN).toBe('http://127.0.0.1:5173');
  });

  it('refuses a WEB_ORIGIN with a path or of another scheme, naming the variable', () => {
    for (const value of ['https://notes.example.com/', 'https://x.example/app', 'ftp://x.example', 'notes.example.com'])
      expect(() => validate({ WEB_ORIGIN: value })).toThrow(/WEB_ORIGIN/);
  });
});
