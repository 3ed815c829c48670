import { serviceIdentityFromEnv } from '@micronote/server-core';

import { ACTION_TOKEN_TTL_S, signActionToken, verifyActionToken } from './push-action-token';

describe(verifyActionToken.name, () => {
  const identity = (name: 'gateway' | 'user-service') => serviceIdentityFromEnv(name, { NODE_ENV: 'test', SERVICE_IDENTITY_TTL: 60 });
  const claims = { sub: '7', todoId: '42', reminder: 'reminder.42.3' };
  const now = Date.UTC(2026, 11, 4, 21);

  it('accepts user-service’s token for its lifetime, with its claims', () => {
    const token = signActionToken(identity('user-service'), claims, now);
    expect(verifyActionToken(identity('gateway'), token, now + 1_000)).toEqual({
      ...claims,
      iat: now / 1000,
      exp: now / 1000 + ACTION_TOKEN_TTL_S,
    });
    expect(verifyActionToken(identity('gateway'), token, now + (ACTION_TOKEN_TTL_S + 1) * 1000)).toBeNull();
  });

  it('refuses tokens of other signers, tampered claims and service identities', () => {
    expect(verifyActionToken(identity('gateway'), signActionToken(identity('gateway'), claims, now), now)).toBeNull();
    const [head, , signature] = signActionToken(identity('user-service'), claims, now).split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...claims, sub: '8', iss: 'user-service', iat: now / 1000, exp: now / 1000 + 60 }),
    ).toString('base64url');
    expect(verifyActionToken(identity('gateway'), `${head}.${forged}.${signature}`, now)).toBeNull();
    expect(verifyActionToken(identity('gateway'), identity('user-service').mint('todos-service', '7'), Date.now())).toBeNull();
  });

  it('is no service identity either', () => {
    const todos = serviceIdentityFromEnv('todos-service', { NODE_ENV: 'test', SERVICE_IDENTITY_TTL: 60 });
    expect(() => todos.verify(signActionToken(identity('user-service'), claims))).toThrow(/Malformed/);
  });
});
