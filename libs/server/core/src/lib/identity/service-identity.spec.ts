import { generateKeyPairSync } from 'node:crypto';

import { Metadata } from '@grpc/grpc-js';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { DomainError, GrpcStatus } from '../errors/domain-error';
import type { CallerName } from './service-identity';
import {
  devIdentityPeers,
  devIdentitySeed,
  IDENTITY_METADATA,
  parsePeers,
  privateKeyFromSeed,
  rawPublicKey,
  ServiceIdentity,
} from './service-identity';
import { AcceptCallers, serviceIdentityFromEnv, ServiceIdentityGuard } from './service-identity.module';

const dev = (name: CallerName, now?: () => number) =>
  new ServiceIdentity({
    name,
    signingKey: privateKeyFromSeed(devIdentitySeed(name)),
    peers: parsePeers(devIdentityPeers()),
    ttlSeconds: 60,
    now,
  });
const notes = (now?: () => number) =>
  new ServiceIdentity({ name: 'notes-service', peers: parsePeers(devIdentityPeers()), ttlSeconds: 60, now });

function statusOf(fn: () => unknown): GrpcStatus | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return (error as DomainError).status;
  }
}

describe(ServiceIdentity.name, () => {
  it('verifies a token minted by a known caller for this service, with the user it acts for', () => {
    const token = dev('gateway').mint('notes-service', '42');
    expect(notes().verify(token)).toMatchObject({ iss: 'gateway', aud: 'notes-service', sub: '42' });
    expect(notes().verify(dev('user-service').mint('notes-service'))).not.toHaveProperty('sub');
  });

  it('reuses a minted token for half its life, then mints a new one', () => {
    let now = 1_000_000;
    const gateway = dev('gateway', () => now);
    const first = gateway.mint('notes-service', '1');
    now += 29_000;
    expect(gateway.mint('notes-service', '1')).toBe(first);
    now += 2_000;
    expect(gateway.mint('notes-service', '1')).not.toBe(first);
    expect(gateway.mint('notes-service', '2')).not.toBe(gateway.mint('notes-service', '1'));
  });

  it('refuses forged, tampered, expired, foreign and malformed tokens', () => {
    const token = dev('gateway').mint('notes-service', '42');
    const [header, , signature] = token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ iss: 'gateway', aud: 'notes-service', sub: '1', iat: 0, exp: 9e9 })).toString('base64url')}.${signature}`;
    const stranger = new ServiceIdentity({
      name: 'gateway',
      signingKey: generateKeyPairSync('ed25519').privateKey,
      peers: new Map(),
      ttlSeconds: 60,
    }).mint('notes-service', '42');
    let now = Date.now();
    const expired = dev('gateway', () => now - 120_000).mint('notes-service', '42');
    for (const bad of [tampered, stranger, expired, dev('gateway').mint('user-service', '42'), 'a.b.c', '', 'x'.repeat(5000)]) {
      expect(statusOf(() => notes(() => now).verify(bad))).toBe(GrpcStatus.UNAUTHENTICATED);
    }
    // A verified token stops being accepted when it expires, cached or not.
    const cachedLater = notes(() => now);
    expect(statusOf(() => cachedLater.verify(token))).toBe('ok');
    now += 120_000;
    expect(statusOf(() => cachedLater.verify(token))).toBe(GrpcStatus.UNAUTHENTICATED);
  });

  it('checks a cached token in well under 0.05 ms', () => {
    const token = dev('gateway').mint('notes-service', '42');
    const verifier = notes();
    verifier.verify(token);
    const started = performance.now();
    for (let i = 0; i < 10_000; i++) verifier.verify(token);
    expect((performance.now() - started) / 10_000).toBeLessThan(0.05);
  });
});

describe(serviceIdentityFromEnv.name, () => {
  const own = () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }) as Buffer;
    return { seed: der.subarray(der.length - 32).toString('base64url'), pub: rawPublicKey(privateKey) };
  };

  it('uses the built-in dev keys outside production', () => {
    const gateway = serviceIdentityFromEnv('gateway', { NODE_ENV: 'development', SERVICE_IDENTITY_TTL: 60 });
    expect(notes().verify(gateway.mint('notes-service', '1')).iss).toBe('gateway');
  });

  it('in production needs its own keys and refuses the dev ones', () => {
    const base = { NODE_ENV: 'production' as const, SERVICE_IDENTITY_TTL: 60 };
    expect(() => serviceIdentityFromEnv('notes-service', base)).toThrow(/SERVICE_IDENTITY_PEERS must be set/);
    expect(() => serviceIdentityFromEnv('notes-service', { ...base, SERVICE_IDENTITY_PEERS: devIdentityPeers() })).toThrow(
      /development key/,
    );
    const key = own();
    const peers = `gateway:${key.pub}`;
    expect(() => serviceIdentityFromEnv('gateway', { ...base, SERVICE_IDENTITY_PEERS: peers })).toThrow(/SERVICE_IDENTITY_KEY must be set/);
    const devSeed = devIdentitySeed('gateway').toString('base64url');
    expect(() => serviceIdentityFromEnv('gateway', { ...base, SERVICE_IDENTITY_PEERS: peers, SERVICE_IDENTITY_KEY: devSeed })).toThrow(
      /development key/,
    );
    expect(() => serviceIdentityFromEnv('gateway', { ...base, SERVICE_IDENTITY_PEERS: peers, SERVICE_IDENTITY_KEY: 'short' })).toThrow(
      /32-byte/,
    );
    expect(() => serviceIdentityFromEnv('notes-service', { ...base, SERVICE_IDENTITY_PEERS: 'mallory:abc' })).toThrow(
      /SERVICE_IDENTITY_PEERS/,
    );
    const gateway = serviceIdentityFromEnv('gateway', { ...base, SERVICE_IDENTITY_PEERS: peers, SERVICE_IDENTITY_KEY: key.seed });
    const verifier = serviceIdentityFromEnv('notes-service', { ...base, SERVICE_IDENTITY_PEERS: peers });
    expect(verifier.verify(gateway.mint('notes-service', '7')).sub).toBe('7');
  });
});

describe(ServiceIdentityGuard.name, () => {
  class Handlers {
    @AcceptCallers({ asUser: ['gateway'] })
    listNotes() {
      return 'listNotes';
    }

    @AcceptCallers({ asService: ['user-service'] })
    deleteUserNotes() {
      return 'deleteUserNotes';
    }

    undeclared() {
      return 'undeclared';
    }
  }
  const guard = new ServiceIdentityGuard(notes(), new Reflector());
  const context = (handler: keyof Handlers, data: object, token?: string) => {
    const metadata = new Metadata();
    if (token !== undefined) metadata.set(IDENTITY_METADATA, token);
    return {
      getType: () => 'rpc',
      getHandler: () => Handlers.prototype[handler],
      switchToRpc: () => ({ getData: () => data, getContext: () => metadata }),
    } as unknown as ExecutionContext;
  };
  const check = (handler: keyof Handlers, data: object, token?: string) => statusOf(() => guard.canActivate(context(handler, data, token)));

  it('lets a call through only with a valid identity of an accepted caller for the same user', () => {
    const gateway = dev('gateway');
    expect(check('listNotes', { userId: '42' }, gateway.mint('notes-service', '42'))).toBe('ok');
    expect(check('listNotes', { userId: '42' })).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(check('listNotes', { userId: '43' }, gateway.mint('notes-service', '42'))).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(check('listNotes', {}, gateway.mint('notes-service', '42'))).toBe(GrpcStatus.UNAUTHENTICATED);
    // The gateway acting as itself, or auth-service for a user: not callers listNotes accepts.
    expect(check('listNotes', { userId: '42' }, gateway.mint('notes-service'))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(check('listNotes', { userId: '42' }, dev('auth-service').mint('notes-service', '42'))).toBe(GrpcStatus.PERMISSION_DENIED);
  });

  it('takes service identities only where declared, and refuses undeclared handlers', () => {
    expect(check('deleteUserNotes', { userId: '42' }, dev('user-service').mint('notes-service'))).toBe('ok');
    expect(check('deleteUserNotes', { userId: '42' }, dev('gateway').mint('notes-service'))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(check('deleteUserNotes', { userId: '42' }, dev('gateway').mint('notes-service', '42'))).toBe(GrpcStatus.PERMISSION_DENIED);
    expect(check('undeclared', { userId: '42' }, dev('gateway').mint('notes-service', '42'))).toBe(GrpcStatus.PERMISSION_DENIED);
  });
});
