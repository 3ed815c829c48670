import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';

import { PUSH_LIMITS } from '@micronote/contracts';

/**
 * Where the server may POST a push: the SSRF rule of Web Push subscriptions. An endpoint is an
 * https URL without credentials whose host is a name or a public address: loopback, private,
 * link-local, CGNAT, multicast, reserved and the unspecified address are refused, as are
 * `localhost` and `*.localhost`, both when a subscription is saved (the literal) and at every send
 * (each address the name resolves to, see {@link guardedLookup}). `allowPrivate` (the test-only
 * PUSH_ALLOW_PRIVATE_ENDPOINTS) lets non-public hosts through; https stays required.
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
// (No ::ffff:0:0/96 here: BlockList would match every IPv4 address against it; mapped addresses are checked as IPv4.)
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Whether `address` (an IP literal) is loopback, private, link-local or otherwise not on the public Internet. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // ::ffff:a.b.c.d is the IPv4 address inside.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (mapped) return NON_PUBLIC.check(mapped, 'ipv4');
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why a push endpoint is refused (a message for the 400), or null when the server may POST to it. */
export function pushEndpointProblem(endpoint: string, allowPrivate: boolean): string | null {
  if (endpoint.length > PUSH_LIMITS.endpoint.max) return `endpoint must be at most ${PUSH_LIMITS.endpoint.max} characters`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'endpoint must be an absolute URL';
  }
  if (url.protocol !== 'https:') return 'endpoint must be an https URL';
  if (url.username || url.password) return 'endpoint must not carry credentials';
  if (url.hash) return 'endpoint must not have a #fragment';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const localName = host === 'localhost' || ['.localhost', '.local', '.internal'].some((suffix) => host.endsWith(suffix));
  if (localName || (!host.includes('.') && isIP(host) === 0)) return 'endpoint must be on a public host (not localhost or a local name)';
  if (isIP(host) !== 0 && isNonPublicAddress(host))
    return 'endpoint must be on a public host (not a loopback, private or link-local address)';
  return null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the push sender's https.Agent: resolves like `dns.lookup` but fails when any
 * address of the name is not public, at connect time, so a name that resolved to a public address
 * when it was saved cannot be rebound to 127.0.0.1 later (unless `allowPrivate`).
 */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses;
      if (!allowPrivate && list.some((a) => isNonPublicAddress(a.address))) {
        const refused: NodeJS.ErrnoException = new Error(`push endpoint ${hostname} resolves to a non-public address`);
        refused.code = 'EPUSHPRIVATE';
        return callback(refused, []);
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
