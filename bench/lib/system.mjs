// The system a benchmark measures: the real apps (tools/scripts/lib/system.mjs) on free loopback
// ports, logging at warn, with the gateway's rate limits off (they would throttle the load itself),
// socket.io handshake limits and the per-user socket cap included (P4, P5 open thousands of sockets).
import { freeAppPorts } from '../../tools/scripts/lib/apps.mjs';
import { startSystem } from '../../tools/scripts/lib/system.mjs';

/** Starts a bench system; resolves to `{ system, ports }`. `env` adds or overrides app variables; `ports` default to free ones. */
export async function startBenchSystem({ dbSuffix, redisPrefix, build = true, env = {}, ports }) {
  ports ??= await freeAppPorts();
  const system = await startSystem({
    ports,
    dbSuffix,
    redisPrefix,
    logLevel: 'warn',
    env: { HOST: '127.0.0.1', AUTH_RATE_LIMIT: '0', API_RATE_LIMIT: '0', WS_HANDSHAKE_RATE_LIMIT: '0', WS_MAX_PER_USER: '0', ...env },
    build,
  });
  return { system, ports };
}
