// The VAPID key pair (Web Push) of development and test runs: made once with web-push's
// generateVAPIDKeys() into .vapid.local.json (git-ignored) and passed to the apps by startSystem
// (`npm start`, and the systems `npm test` and the e2e projects start). Variables already set in
// the environment win; with NODE_ENV=production nothing is made: the apps then refuse to start
// without VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY / VAPID_SUBJECT (deployments: `npm run secrets`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { ROOT } from './workspace.mjs';

export const VAPID_FILE = resolve(ROOT, '.vapid.local.json');
const DEV_SUBJECT = 'mailto:dev@micronote.localhost';

/** A fresh pair, as the apps expect it (base64url), with a subject. */
export async function generateVapid(subject = DEV_SUBJECT) {
  // Loaded when needed: `npm start` imports this module before it installs missing dependencies.
  const { generateVAPIDKeys } = (await import('web-push')).default;
  const { publicKey, privateKey } = generateVAPIDKeys();
  return { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject };
}

/** The VAPID variables for the apps of a local run ({} when the environment has its own or in production). */
export async function devVapidEnv(env = process.env) {
  if (env.NODE_ENV === 'production' || env.VAPID_PUBLIC_KEY || env.VAPID_PRIVATE_KEY) return {};
  if (existsSync(VAPID_FILE)) {
    const stored = JSON.parse(readFileSync(VAPID_FILE, 'utf8'));
    if (stored.VAPID_PUBLIC_KEY && stored.VAPID_PRIVATE_KEY && stored.VAPID_SUBJECT) return stored;
  }
  const made = await generateVapid();
  writeFileSync(VAPID_FILE, `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600 });
  return made;
}
