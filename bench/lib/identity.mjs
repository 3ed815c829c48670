// The gateway's service identity, as the bench's own gRPC clients send it to notes-service (a
// plain .mjs script cannot import the TypeScript lib): the token of
// libs/server/core/src/lib/identity/service-identity.ts (compact JWS, EdDSA, `{iss, aud, sub, iat,
// exp}`) signed with the gateway's built-in development key (the system under test runs with
// NODE_ENV=test). Minted once per user and reused for half its life, as the gateway does.
import { createHash, createPrivateKey, sign } from 'node:crypto';

const TTL_S = 60;
const HEADER = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' })).toString('base64url');
const seed = createHash('sha256').update('micronote-dev-identity:gateway').digest();
const key = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
  format: 'der',
  type: 'pkcs8',
});
const minted = new Map();

/** `x-micronote-identity` of a gateway call to notes-service for `userId`. */
export function gatewayIdentity(userId) {
  const now = Date.now();
  const cached = minted.get(userId);
  if (cached && cached.renewAt > now) return cached.token;
  const iat = Math.floor(now / 1000);
  const body = `${HEADER}.${Buffer.from(JSON.stringify({ iss: 'gateway', aud: 'notes-service', sub: userId, iat, exp: iat + TTL_S })).toString('base64url')}`;
  const token = `${body}.${sign(null, Buffer.from(body), key).toString('base64url')}`;
  minted.set(userId, { token, renewAt: now + (TTL_S * 1000) / 2 });
  return token;
}
