// Service-to-service identity, attacked from the network: someone who reaches a service's gRPC port
// directly (not through the gateway) with no identity, a forged one, an expired one, one minted for
// another service, or a valid one for user A asking for user B's data. Every service must refuse.
// Also: reflection is off unless asked, and optional mutual TLS between services works end to end
// with certificates this test makes.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { authV1, notesV1, PROTO_FILES, todosV1, userV1 } from '@micronote/proto';
import type { CallerName, ServiceName } from '@micronote/server-core';
import { callUnary, devIdentityPeers, devIdentitySeed, parsePeers, privateKeyFromSeed, ServiceIdentity } from '@micronote/server-core';
import { grpcTestClient } from '@micronote/server-testing';

import { register } from './support/api';
import type { AppProcess } from './support/processes';
import { startApp } from './support/processes';

const UNAUTHENTICATED = 16;
const PERMISSION_DENIED = 7;
const UNAVAILABLE = 14;

/** An identity signed with the development key of `caller` (what the e2e system runs with), at `nowMs`. */
const devIdentity = (caller: CallerName, nowMs = Date.now()) =>
  new ServiceIdentity({
    name: caller,
    signingKey: privateKeyFromSeed(devIdentitySeed(caller)),
    peers: parsePeers(devIdentityPeers()),
    ttlSeconds: 60,
    now: () => nowMs,
  });
/** Claims to be the gateway, signed with a key of its own. */
const forger = new ServiceIdentity({
  name: 'gateway',
  signingKey: generateKeyPairSync('ed25519').privateKey,
  peers: new Map(),
  ttlSeconds: 60,
});

interface Target {
  name: ServiceName;
  url: string;
  packageName: string;
  protoFile: string;
  serviceName: string;
  /** A read of one user's data, as `call(userId)`. */
  method: string;
  request: (userId: string) => object;
  /** The caller that may make it for a user. */
  caller: CallerName;
}

const TARGETS: Target[] = [
  {
    name: 'notes-service',
    url: process.env['GRPC_NOTES_URL'] ?? '127.0.0.1:50002',
    packageName: notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME,
    protoFile: PROTO_FILES.notes,
    serviceName: notesV1.NOTES_SERVICE_NAME,
    method: 'listNotes',
    request: (userId) => ({ userId, q: '', tag: '', archived: false, trashed: false, limit: 5, cursor: '' }),
    caller: 'gateway',
  },
  {
    name: 'todos-service',
    url: process.env['GRPC_TODOS_URL'] ?? '127.0.0.1:50003',
    packageName: todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME,
    protoFile: PROTO_FILES.todos,
    serviceName: todosV1.TODOS_SERVICE_NAME,
    method: 'getTodoStats',
    request: (userId) => ({ userId }),
    caller: 'gateway',
  },
  {
    name: 'user-service',
    url: process.env['GRPC_USER_URL'] ?? '127.0.0.1:50004',
    packageName: userV1.MICRONOTE_USER_V1_PACKAGE_NAME,
    protoFile: PROTO_FILES.user,
    serviceName: userV1.USER_SERVICE_NAME,
    method: 'getUser',
    request: (userId) => ({ userId }),
    caller: 'gateway',
  },
  {
    name: 'auth-service',
    url: process.env['GRPC_AUTH_URL'] ?? '127.0.0.1:50001',
    packageName: authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME,
    protoFile: PROTO_FILES.auth,
    serviceName: authV1.AUTH_SERVICE_NAME,
    method: 'listSessions',
    request: (userId) => ({ userId, currentSessionId: '' }),
    caller: 'gateway',
  },
];

/** The gRPC status code of a call (0 when it succeeded). */
async function codeOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 0;
  } catch (error) {
    return (error as { code: number }).code;
  }
}

describe('service-to-service identity', () => {
  let alice: { id: string };
  let bob: { id: string };

  beforeAll(async () => {
    alice = (await register()).user;
    bob = (await register()).user;
  });

  describe.each(TARGETS)('$name', (target) => {
    const client = grpcTestClient<Record<string, never>>(target);
    afterAll(() => client.close());
    const call = (userId: string, identity?: string, method = target.method, request: object = target.request(userId)) =>
      codeOf(callUnary(client.service, method as never, request as never, { deadlineMs: 5_000, identity }));

    it('answers a caller with a valid identity for the same user (the control)', async () => {
      expect(await call(alice.id, devIdentity(target.caller).mint(target.name, alice.id))).toBe(0);
    });

    it('refuses a call without identity, with a forged, an expired or a foreign one: UNAUTHENTICATED', async () => {
      expect(await call(alice.id)).toBe(UNAUTHENTICATED);
      expect(await call(alice.id, forger.mint(target.name, alice.id))).toBe(UNAUTHENTICATED);
      expect(await call(alice.id, devIdentity(target.caller, Date.now() - 10 * 60_000).mint(target.name, alice.id))).toBe(UNAUTHENTICATED);
      const other = target.name === 'notes-service' ? 'todos-service' : 'notes-service';
      expect(await call(alice.id, devIdentity(target.caller).mint(other, alice.id))).toBe(UNAUTHENTICATED);
      expect(await call(alice.id, 'not-a-token')).toBe(UNAUTHENTICATED);
    });

    it("refuses a valid identity for user A asking for user B's data", async () => {
      expect(await call(bob.id, devIdentity(target.caller).mint(target.name, alice.id))).toBe(UNAUTHENTICATED);
    });
  });

  it('takes a service identity only from the caller an RPC names (purge, credential check)', async () => {
    const notes = grpcTestClient<notesV1.NotesServiceClient>(TARGETS[0]);
    const users = grpcTestClient<userV1.UserServiceClient>(TARGETS[2]);
    try {
      const purge = (identity: string) =>
        codeOf(callUnary(notes.service, 'deleteUserNotes', { userId: alice.id }, { deadlineMs: 5_000, identity }));
      // ExportNotes {userId} of someone else and DeleteUserNotes as the gateway: refused.
      expect(await codeOf(callUnary(notes.service, 'getNoteStats', { userId: bob.id }, { deadlineMs: 5_000 }))).toBe(UNAUTHENTICATED);
      expect(await purge(devIdentity('gateway').mint('notes-service'))).toBe(PERMISSION_DENIED);
      expect(await purge(devIdentity('gateway').mint('notes-service', alice.id))).toBe(PERMISSION_DENIED);
      expect(await purge(forger.mint('notes-service'))).toBe(UNAUTHENTICATED);
      // Guessing passwords straight at user-service: only auth-service may ask.
      const verify = (identity?: string) =>
        codeOf(
          callUnary(
            users.service,
            'verifyCredentials',
            { login: 'someone', password: 'guess', clientIp: '' },
            { deadlineMs: 5_000, identity },
          ),
        );
      expect(await verify()).toBe(UNAUTHENTICATED);
      expect(await verify(devIdentity('gateway').mint('user-service'))).toBe(PERMISSION_DENIED);
      expect(await verify(forger.mint('user-service'))).toBe(UNAUTHENTICATED);
      // And the gateway may not change a password without auth-service (which checks and ends sessions).
      expect(
        await codeOf(
          callUnary(
            users.service,
            'changePassword',
            { userId: alice.id, currentPassword: 'x', newPassword: 'y'.repeat(12), clientIp: '' },
            { deadlineMs: 5_000, identity: devIdentity('gateway').mint('user-service', alice.id) },
          ),
        ),
      ).toBe(PERMISSION_DENIED);
    } finally {
      notes.close();
      users.close();
    }
  });
});

describe('mutual TLS between services (GRPC_TLS_CERT/KEY/CA)', () => {
  let dir: string;
  let notes: AppProcess;
  let gateway: AppProcess;
  let tls: { cert: Buffer; key: Buffer; ca: Buffer };
  let strangerTls: { cert: Buffer; key: Buffer; ca: Buffer };

  /** A CA and a certificate it signs for 127.0.0.1 (server and client use), made with openssl. */
  function makePki(name: string) {
    const at = (file: string) => join(dir, `${name}-${file}`);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
      '-days',
      '1',
      '-subj',
      `/CN=${name} test CA`,
    );
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      at('key.pem'),
      '-out',
      at('csr.pem'),
      '-subj',
      '/CN=micronote-service',
    );
    writeFileSync(at('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
    openssl(
      'x509',
      '-req',
      '-in',
      at('csr.pem'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at('cert.pem'),
      '-days',
      '1',
      '-extfile',
      at('ext.cnf'),
    );
    return {
      env: { GRPC_TLS_CERT: at('cert.pem'), GRPC_TLS_KEY: at('key.pem'), GRPC_TLS_CA: at('ca.pem') },
      files: { cert: readFileSync(at('cert.pem')), key: readFileSync(at('key.pem')), ca: readFileSync(at('ca.pem')) },
    };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mn-mtls-'));
    const pki = makePki('ours');
    tls = pki.files;
    strangerTls = makePki('stranger').files;
    notes = await startApp('notes-service', pki.env);
    // Only its notes-service speaks mTLS here: it is live, not ready (its other dependencies are plaintext).
    gateway = await startApp('gateway', { ...pki.env, GRPC_NOTES_URL: `127.0.0.1:${notes.env['GRPC_PORT']}` }, { live: true });
  }, 90_000);
  afterAll(async () => {
    await gateway?.stop();
    await notes?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const notesClient = (clientTls?: typeof tls) =>
    grpcTestClient<notesV1.NotesServiceClient>({ ...TARGETS[0], url: `127.0.0.1:${notes.env['GRPC_PORT']}`, tls: clientTls });

  it('serves the gateway over mTLS end to end: a note written through it is read back', async () => {
    // Signed in through the system's gateway; the token works on this one too (same secret and Redis).
    const user = await register();
    const headers = { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' };
    const created = await fetch(`${gateway.url}/api/notes`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: 'over mTLS', text: '' }),
    });
    expect(created.status).toBe(201);
    const listed = await fetch(`${gateway.url}/api/notes`, { headers });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: { title: string }[] }).items.map((n) => n.title)).toContain('over mTLS');
  });

  it('refuses a plaintext client and a client whose certificate another CA signed', async () => {
    const identity = devIdentity('gateway').mint('notes-service', '1');
    const request = TARGETS[0].request('1');
    for (const clientTls of [undefined, strangerTls]) {
      const client = notesClient(clientTls);
      try {
        expect(await codeOf(callUnary(client.service, 'listNotes', request as never, { deadlineMs: 3_000, identity }))).toBe(UNAVAILABLE);
      } finally {
        client.close();
      }
    }
    const client = notesClient(tls);
    try {
      expect(await codeOf(callUnary(client.service, 'listNotes', request as never, { deadlineMs: 3_000, identity }))).toBe(0);
    } finally {
      client.close();
    }
  });
});
