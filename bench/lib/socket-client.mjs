// A client process of bench/sockets.mjs (started with `fork`): holds many idle socket.io
// connections to one gateway, all from one local address (`localAddress`, passed by
// socket.io-client → engine.io-client → ws → net.connect), so that every process has its own
// 28k ephemeral ports. Driven over IPC by the parent:
//   { type: 'open', tokens }  → opens one socket per token; answers { type: 'opened', connected, errors, firstError, ms }
//   { type: 'stats' }         → { type: 'stats', open, disconnects, rss, cpuMs }
//   { type: 'close' }         → closes every socket; answers { type: 'closed' } and exits.
// It exits by itself when the parent goes away (IPC disconnect) or after MAX_LIFETIME_MS.
import { io } from 'socket.io-client';

const [url, localAddress] = process.argv.slice(2);
const CONNECT_TIMEOUT_MS = 60_000;
/** A bound on the life of this process, whatever the parent does. */
const MAX_LIFETIME_MS = 30 * 60_000;

const sockets = [];
let disconnects = 0;

/** Opens one socket with `token`; resolves to null once connected, or to the error message. */
function open(token) {
  const socket = io(url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false, localAddress });
  sockets.push(socket);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(`no connect within ${CONNECT_TIMEOUT_MS} ms`), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => {
      clearTimeout(timer);
      // From now on a disconnect is a failure of the bench (idle sockets must stay up), unless we close.
      socket.on('disconnect', (reason) => reason !== 'io client disconnect' && disconnects++);
      resolve(null);
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
  });
}

function exit() {
  for (const socket of sockets) socket.close();
  process.exit(0);
}

process.on('message', async (message) => {
  if (message.type === 'open') {
    const started = performance.now();
    const results = await Promise.all(message.tokens.map(open));
    const failures = results.filter((r) => r !== null);
    process.send({
      type: 'opened',
      connected: results.length - failures.length,
      errors: failures.length,
      firstError: failures[0],
      ms: performance.now() - started,
    });
  } else if (message.type === 'stats') {
    const cpu = process.cpuUsage();
    process.send({
      type: 'stats',
      open: sockets.filter((s) => s.connected).length,
      disconnects,
      rss: process.memoryUsage.rss(),
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  } else if (message.type === 'close') {
    for (const socket of sockets) socket.close();
    process.send({ type: 'closed' }, () => process.exit(0));
  }
});
process.on('disconnect', exit);
setTimeout(exit, MAX_LIFETIME_MS).unref();
