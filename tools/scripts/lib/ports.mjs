// TCP ports: pick free ones (test systems) or make sure the fixed ones are free (npm start).
import { createServer } from 'node:net';

import { Fail } from './log.mjs';

/** Listens on host:port; resolves to the server (still listening) or rejects with the listen error. */
function listen(port, host) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
}

const close = (server) => new Promise((resolve) => server.close(() => resolve()));

/**
 * `count` distinct free ports on `host`. All are held open until every one is chosen, so the
 * kernel cannot hand out the same port twice.
 */
export async function freePorts(count, host = '127.0.0.1') {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listen(0, host));
    return servers.map((server) => server.address().port);
  } finally {
    await Promise.all(servers.map(close));
  }
}

/**
 * Throws one `Fail` listing every port of `wanted` (`[{ port, owner }]`, owner e.g. "gateway HTTP_PORT")
 * that something else already uses on `host`. The default host, 0.0.0.0, catches listeners on any address.
 */
export async function assertPortsFree(wanted, host = '0.0.0.0') {
  const taken = [];
  for (const { port, owner } of wanted) {
    try {
      await close(await listen(port, host));
    } catch (err) {
      taken.push(`port ${port} (${owner}): ${err.code === 'EADDRINUSE' ? 'already in use' : err.message}`);
    }
  }
  if (taken.length > 0) {
    throw new Fail(
      `cannot start:\n  ${taken.join('\n  ')}\n` + 'Is MicroNote (or something else) already running? Stop it or free the port(s).',
    );
  }
}
