import type { KeyObject } from 'node:crypto';
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';

import { DomainError, GrpcStatus } from '../errors/domain-error';

/**
 * Service-to-service identity: who is calling a gRPC service, and for which user.
 *
 * Every call carries, in metadata `x-micronote-identity`, a short-lived token signed by the
 * calling process with its own Ed25519 key (a compact JWS, `alg: EdDSA`):
 * `{ iss: caller, aud: callee, sub?: userId, iat, exp }`. With `sub` the caller acts for that
 * user (the gateway mints it from the access token it verified; auth-service for the user whose
 * credentials or refresh token it checked); without `sub` it acts as itself (the account
 * purger, auth-service's credential check). A service verifies with the callers' public keys
 * only: no process can mint another's identity, and a callee cannot replay a token to another
 * service (`aud`). Keys are separate from JWT_SECRET.
 */

/** The processes that call other services, and so hold a signing key. */
export const IDENTITY_CALLERS = ['gateway', 'auth-service', 'user-service'] as const;
export type CallerName = (typeof IDENTITY_CALLERS)[number];
export type ServiceName = CallerName | 'notes-service' | 'todos-service';

/** The gRPC metadata key of the identity token. */
export const IDENTITY_METADATA = 'x-micronote-identity';

export interface IdentityClaims {
  iss: CallerName;
  aud: ServiceName;
  /** The user the call acts for; absent for a call a service makes as itself. */
  sub?: string;
  iat: number;
  exp: number;
}

/** Seconds of clock difference tolerated between processes. */
const CLOCK_SKEW_S = 5;
/** How many minted / verified tokens each process keeps (the per-call cost is then a Map lookup). */
const CACHE_LIMIT = 10_000;

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const HEADER = Buffer.from(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' })).toString('base64url');

const statementHeader = (typ: string) => Buffer.from(JSON.stringify({ alg: 'EdDSA', typ })).toString('base64url');

/** A base64url string of exactly 32 bytes, or null. */
export function decodeKey32(value: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]{43}=?$/.test(value.trim())) return null;
  const bytes = Buffer.from(value.trim(), 'base64url');
  return bytes.length === 32 ? bytes : null;
}

export function privateKeyFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The raw 32 bytes of an Ed25519 public key, base64url: the form SERVICE_IDENTITY_PEERS lists. */
export function rawPublicKey(key: KeyObject): string {
  return (createPublicKey(key).export({ format: 'der', type: 'spki' }) as Buffer)
    .subarray(SPKI_ED25519_PREFIX.length)
    .toString('base64url');
}

/**
 * The built-in key seed of a caller in development and tests (derived from its name, public, so
 * refused when NODE_ENV=production).
 */
export function devIdentitySeed(name: CallerName): Buffer {
  return createHash('sha256').update(`micronote-dev-identity:${name}`).digest();
}

/** The built-in SERVICE_IDENTITY_PEERS of development and tests. */
export function devIdentityPeers(): string {
  return IDENTITY_CALLERS.map((name) => `${name}:${rawPublicKey(privateKeyFromSeed(devIdentitySeed(name)))}`).join(',');
}

export const isCaller = (name: string): name is CallerName => (IDENTITY_CALLERS as readonly string[]).includes(name);

/** Parses SERVICE_IDENTITY_PEERS (`gateway:<key>,auth-service:<key>,…`); throws naming the bad entry. */
export function parsePeers(value: string): Map<CallerName, KeyObject> {
  const peers = new Map<CallerName, KeyObject>();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, key] = entry.split(':');
    const raw = key === undefined ? null : decodeKey32(key);
    if (!name || !isCaller(name) || !raw) {
      throw new Error(
        `SERVICE_IDENTITY_PEERS: "${name ?? ''}" must be one of ${IDENTITY_CALLERS.join(', ')} followed by :<base64url 32-byte Ed25519 public key>`,
      );
    }
    peers.set(name, publicKeyFromRaw(raw));
  }
  return peers;
}

export const identityRejected = (message: string) => new DomainError('SERVICE_IDENTITY_INVALID', message, GrpcStatus.UNAUTHENTICATED);

export interface ServiceIdentityOptions {
  /** This process. */
  name: ServiceName;
  /** Its signing key (callers only). */
  signingKey?: KeyObject;
  /** The public keys of the callers it accepts. */
  peers: Map<CallerName, KeyObject>;
  /** Lifetime of a minted token, seconds. */
  ttlSeconds: number;
  now?: () => number;
}

/** Mints this process's identity tokens and verifies its callers'. Both are cached: a token is reused for half its life. */
export class ServiceIdentity {
  readonly name: ServiceName;
  private readonly minted = new Map<string, { token: string; renewAt: number }>();
  private readonly verified = new Map<string, IdentityClaims>();
  private readonly now: () => number;

  constructor(private readonly options: ServiceIdentityOptions) {
    this.name = options.name;
    this.now = options.now ?? Date.now;
  }

  /** A token for a call to `audience`, acting for `userId` (or as this service when absent). */
  mint(audience: ServiceName, userId?: string): string {
    const key = `${audience}\n${userId ?? ''}`;
    const nowMs = this.now();
    const cached = this.minted.get(key);
    if (cached && cached.renewAt > nowMs) return cached.token;
    const signingKey = this.options.signingKey;
    if (!signingKey || !isCaller(this.name)) throw new Error(`${this.name} has no service identity key: it cannot call other services`);
    const iat = Math.floor(nowMs / 1000);
    const claims: IdentityClaims = {
      iss: this.name,
      aud: audience,
      ...(userId !== undefined && { sub: userId }),
      iat,
      exp: iat + this.options.ttlSeconds,
    };
    const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const token = `${body}.${sign(null, Buffer.from(body), signingKey).toString('base64url')}`;
    if (this.minted.size >= CACHE_LIMIT) this.minted.clear();
    this.minted.set(key, { token, renewAt: nowMs + (this.options.ttlSeconds * 1000) / 2 });
    return token;
  }

  /**
   * A statement this process signs for another purpose than a call (a push's action token): a
   * compact JWS (EdDSA) whose header `typ` names the purpose. The header differs from a service
   * identity's, so a statement never passes as an identity, nor one purpose's as another's.
   */
  signStatement(typ: string, claims: Record<string, unknown>): string {
    const signingKey = this.options.signingKey;
    if (!signingKey || !isCaller(this.name)) throw new Error(`${this.name} has no service identity key: it cannot sign`);
    const body = `${statementHeader(typ)}.${Buffer.from(JSON.stringify({ ...claims, iss: this.name })).toString('base64url')}`;
    return `${body}.${sign(null, Buffer.from(body), signingKey).toString('base64url')}`;
  }

  /**
   * The claims of a statement of `typ` signed by `issuer` (its key from the peers), or null when
   * forged, malformed, of another purpose or issuer. Expiry and the claims are the caller's to check.
   */
  verifyStatement(typ: string, issuer: CallerName, token: string): Record<string, unknown> | null {
    const parts = token.split('.');
    const key = this.options.peers.get(issuer);
    if (!key || parts.length !== 3 || parts[0] !== statementHeader(typ) || token.length > 2_048) return null;
    try {
      if (!verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'))) return null;
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
      if (typeof claims !== 'object' || claims === null || (claims as { iss?: unknown }).iss !== issuer) return null;
      return claims as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  /** The claims of a token meant for this process; throws UNAUTHENTICATED when forged, expired, foreign or malformed. */
  verify(token: string): IdentityClaims {
    const nowS = this.now() / 1000;
    const cached = this.verified.get(token);
    if (cached) {
      if (cached.exp + CLOCK_SKEW_S < nowS) throw identityRejected('Service identity has expired');
      return cached;
    }
    const claims = this.check(token, nowS);
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(token, claims);
    return claims;
  }

  private check(token: string, nowS: number): IdentityClaims {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER || token.length > 2_048) throw identityRejected('Malformed service identity');
    let claims: Partial<IdentityClaims>;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Partial<IdentityClaims>;
    } catch {
      throw identityRejected('Malformed service identity');
    }
    const key = typeof claims.iss === 'string' && isCaller(claims.iss) ? this.options.peers.get(claims.iss) : undefined;
    if (!key) throw identityRejected('Service identity from an unknown caller');
    if (!verify(null, Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'))) {
      throw identityRejected('Service identity signature is invalid');
    }
    if (claims.aud !== this.name) throw identityRejected('Service identity is meant for another service');
    if (
      typeof claims.exp !== 'number' ||
      typeof claims.iat !== 'number' ||
      claims.exp + CLOCK_SKEW_S < nowS ||
      claims.iat - CLOCK_SKEW_S > nowS
    ) {
      throw identityRejected('Service identity has expired');
    }
    if (claims.sub !== undefined && (typeof claims.sub !== 'string' || claims.sub === ''))
      throw identityRejected('Malformed service identity');
    return claims as IdentityClaims;
  }
}
