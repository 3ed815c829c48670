import { execFileSync } from 'node:child_process';
import type { ECDH, KeyObject } from 'node:crypto';
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { Server } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A local push service for tests: an https server that takes Web Push requests (RFC 8030) for the
 * subscriptions it hands out, checks their VAPID authorization (RFC 8292) and decrypts their
 * aes128gcm bodies (RFC 8291 on RFC 8188) with the "browser's" keys, made with
 * createECDH('prime256v1') as a browser makes them.
 */

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** A self-signed certificate for 127.0.0.1 / localhost (openssl), for the receiver; its cert is also the CA a sender must trust. */
export function selfSignedTls(dir = mkdtempSync(join(tmpdir(), 'push-receiver-'))): TlsFiles {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
    ].concat([
      '-subj',
      '/CN=push receiver',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
    ]),
    { stdio: 'pipe' },
  );
  return { certFile, keyFile };
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
  /** The `k=` of the Authorization header: the sender's VAPID public key (base64url). */
  publicKey: string;
}

export interface ReceivedPush {
  subscriptionId: string;
  /** What the receiver answered. */
  status: number;
  headers: IncomingHttpHeaders;
  vapid: VapidClaims;
  /** The decrypted body (UTF-8). */
  text: string;
}

export interface TestPushSubscription {
  id: string;
  /** As `PushSubscription.toJSON()`. */
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** What the receiver answers its pushes (201; 410 for one the browser dropped). */
  status: number;
}

interface Browser {
  subscription: TestPushSubscription;
  ecdh: ECDH;
  auth: Buffer;
}

const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number) => Buffer.from(hkdfSync('sha256', ikm, salt, info, length));

/** Decrypts an aes128gcm Web Push body (RFC 8291 §3.4, RFC 8188 §2) for the browser keys `ecdh` and `auth`. */
export function decryptPushBody(body: Buffer, ecdh: ECDH, auth: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  if (idLength !== 65 || recordSize < 18) throw new Error('not an aes128gcm Web Push body (keyid must be the 65-byte sender key)');
  const receiverPublic = ecdh.getPublicKey();
  const shared = ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiverPublic, senderPublic]);
  const ikm = hkdf(shared, auth, keyInfo, 32);
  const cek = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const baseNonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12);
  const records = body.subarray(21 + idLength);
  const plain: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < records.length; offset += recordSize, seq++) {
    const record = records.subarray(offset, offset + recordSize);
    const nonce = Buffer.from(baseNonce);
    // NONCE XOR SEQ (a 96-bit big-endian counter; its low 32 bits are enough here).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // Data, then the delimiter (2 in the last record, 1 before), then zeros.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    const last = offset + recordSize >= records.length;
    if (padded[end] !== (last ? 2 : 1)) throw new Error('bad padding delimiter');
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain);
}

function rawP256Key(raw: Buffer): KeyObject {
  return createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33, 65).toString('base64url') },
    format: 'jwk',
  });
}

/** Checks `Authorization: vapid t=<ES256 JWT>, k=<key>` (RFC 8292 §3): signature, audience (this origin) and expiry. */
export function checkVapid(header: string | undefined, origin: string, nowS = Date.now() / 1000): VapidClaims {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) throw new Error('no vapid Authorization header');
  const [, jwt = '', key = ''] = match;
  const [head = '', payload = '', signature = ''] = jwt.split('.');
  const verified = verify(
    'sha256',
    Buffer.from(`${head}.${payload}`),
    { key: rawP256Key(Buffer.from(key, 'base64url')), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!verified) throw new Error('VAPID signature does not verify');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Omit<VapidClaims, 'publicKey'>;
  if (claims.aud !== origin) throw new Error(`VAPID aud ${claims.aud} is not ${origin}`);
  if (!(claims.exp > nowS) || claims.exp > nowS + 24 * 3600) throw new Error('VAPID exp out of range');
  return { ...claims, publicKey: key };
}

export interface PushReceiver {
  /** `https://127.0.0.1:<port>` */
  origin: string;
  /** A new "browser" subscription whose pushes this receiver accepts. */
  subscribe(status?: number): TestPushSubscription;
  /** Every push received so far (also those answered 410). */
  received: ReceivedPush[];
  /** Resolves once `count` pushes (of one subscription, if given) have come, or rejects after `ms`. */
  waitFor(count: number, options?: { subscriptionId?: string; ms?: number }): Promise<ReceivedPush[]>;
  /** Requests refused (bad VAPID, undecryptable, unknown path), with why. */
  errors: string[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 (a free port) with `tls` (default: a fresh self-signed certificate). */
export async function startPushReceiver(tls: TlsFiles = selfSignedTls()): Promise<PushReceiver & { tls: TlsFiles }> {
  const browsers = new Map<string, Browser>();
  const received: ReceivedPush[] = [];
  const errors: string[] = [];
  const waiters = new Set<() => void>();
  let origin = '';
  const server: Server = createServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const id = /^\/push\/([A-Za-z0-9_-]+)$/.exec(request.url ?? '')?.[1] ?? '';
      const browser = browsers.get(id);
      try {
        if (request.method !== 'POST' || !browser) throw new Error(`unknown subscription ${request.url ?? ''}`);
        if (request.headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding must be aes128gcm');
        if (!request.headers['ttl']) throw new Error('no TTL header');
        const vapid = checkVapid(request.headers['authorization'], origin);
        const text = decryptPushBody(Buffer.concat(chunks), browser.ecdh, browser.auth).toString('utf8');
        const status = browser.subscription.status;
        received.push({ subscriptionId: id, status, headers: request.headers, vapid, text });
        response.writeHead(status).end();
        for (const wake of waiters) wake();
      } catch (error) {
        errors.push((error as Error).message);
        response.writeHead(400).end((error as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    tls,
    received,
    errors,
    subscribe(status = 201) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = randomBytes(9).toString('base64url');
      const subscription = {
        id,
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
        status,
      };
      browsers.set(id, { subscription, ecdh, auth });
      return subscription;
    },
    waitFor(count, { subscriptionId, ms = 10_000 } = {}) {
      const matching = () => received.filter((push) => subscriptionId === undefined || push.subscriptionId === subscriptionId);
      return new Promise((resolve, reject) => {
        const check = () => {
          if (matching().length < count) return;
          cleanup();
          resolve(matching());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`expected ${count} pushes within ${ms} ms, got ${matching().length} (errors: ${errors.join('; ') || 'none'})`));
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
