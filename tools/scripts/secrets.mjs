#!/usr/bin/env node
// `npm run secrets`: writes fresh random secrets for a deployment, one KEY=VALUE a line.
//
//   npm run secrets                       → .env (git-ignored), read by `docker compose up`
//   npm run secrets -- --k8s              → .env.k8s (git-ignored), for the Kubernetes Secret:
//       kubectl create secret generic micronote-secrets -n micronote --from-env-file=.env.k8s
//   npm run secrets -- --out <file>       → another file;   --force overwrites an existing one
//
// Every secret is 32+ bytes from node:crypto (production start refuses placeholders and low-entropy
// values). Passwords are hex (64 characters), so they go into URLs (redis://:PASSWORD@host), SQL and
// command lines unescaped.
// Service identities: one Ed25519 key pair per gRPC caller (gateway, auth-service, user-service);
// `<APP>_SERVICE_IDENTITY_KEY` is the caller's private 32-byte seed, `SERVICE_IDENTITY_PEERS` lists
// every caller's raw 32-byte public key (`name:key,...`), both base64url.
// Never overwrite the .env of a running compose stack without --force: MariaDB and Grafana keep the
// passwords of their first start in their volumes (`docker compose down -v` starts afresh).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { describeError, error } from './lib/log.mjs';
import { generateVapid } from './lib/vapid.mjs';
import { ROOT } from './lib/workspace.mjs';

/** The gRPC callers that hold a service identity key (the name is the identity they sign as). */
export const IDENTITY_CALLERS = [
  { name: 'gateway', variable: 'GATEWAY_SERVICE_IDENTITY_KEY' },
  { name: 'auth-service', variable: 'AUTH_SERVICE_IDENTITY_KEY' },
  { name: 'user-service', variable: 'USER_SERVICE_IDENTITY_KEY' },
];

const random = (bytes) => randomBytes(bytes).toString('base64url');
const password = () => randomBytes(32).toString('hex');

/** A raw Ed25519 key pair: the 32-byte seed (end of the PKCS#8 DER) and public key (end of the SPKI DER). */
export function ed25519RawKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { seed: seed.toString('base64url'), publicKey: pub.toString('base64url') };
}

/** Every secret of a deployment; `k8s` leaves out what only compose runs (MariaDB root, Grafana). */
export async function generateSecrets({ k8s = false } = {}) {
  const secrets = {
    JWT_SECRET: random(48),
    REDIS_PASSWORD: password(),
    READ_CACHE_REDIS_PASSWORD: password(),
    ...(!k8s && { MYSQL_ROOT_PASSWORD: password() }),
    NOTES_MYSQL_PASSWORD: password(),
    TODOS_MYSQL_PASSWORD: password(),
    USERS_MYSQL_PASSWORD: password(),
    ...(!k8s && { GRAFANA_ADMIN_PASSWORD: password() }),
  };
  const peers = [];
  for (const caller of IDENTITY_CALLERS) {
    const pair = ed25519RawKeyPair();
    secrets[caller.variable] = pair.seed;
    peers.push(`${caller.name}:${pair.publicKey}`);
  }
  secrets.SERVICE_IDENTITY_PEERS = peers.join(',');
  // Web Push (VAPID): the pair user-service signs pushes with; the gateway gets the public key only.
  const vapid = await generateVapid('mailto:ops@example.com');
  secrets.VAPID_PUBLIC_KEY = vapid.VAPID_PUBLIC_KEY;
  secrets.VAPID_PRIVATE_KEY = vapid.VAPID_PRIVATE_KEY;
  return secrets;
}

async function main() {
  const { values } = parseArgs({
    options: { k8s: { type: 'boolean', default: false }, out: { type: 'string' }, force: { type: 'boolean', default: false } },
  });
  const out = resolve(ROOT, values.out ?? (values.k8s ? '.env.k8s' : '.env'));
  if (existsSync(out) && !values.force) {
    error(`${out} exists: not overwriting it (its passwords may already be in MariaDB's volume). Use --force to replace it.`);
    process.exit(1);
  }
  const secrets = await generateSecrets({ k8s: values.k8s });
  const header = values.k8s
    ? '# MicroNote secrets for Kubernetes (npm run secrets -- --k8s). Do not commit.\n' +
      '#   kubectl create secret generic micronote-secrets -n micronote --from-env-file=<this file>\n'
    : '# MicroNote secrets for docker compose (npm run secrets). Do not commit.\n';
  const body = Object.entries(secrets)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
  writeFileSync(out, `${header}${body}\n`, { mode: 0o600 });
  console.log(`wrote ${Object.keys(secrets).length} secrets to ${out}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
  } catch (err) {
    error(describeError(err));
    process.exit(1);
  }
}
