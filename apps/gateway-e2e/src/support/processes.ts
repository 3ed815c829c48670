import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** `http://127.0.0.1:<HTTP_PORT>` (health, metrics; the REST API for the gateway). */
  url: string;
  env: Record<string, string>;
  /** SIGTERM, resolves with the exit code once it has exited. */
  stop(): Promise<number | null>;
  /** `kill -9`. */
  crash(): Promise<void>;
  /** Everything it wrote to stdout and stderr so far (only with `{ capture: true }`). */
  output(): string;
}

/** Polls `/health/ready` (or another path) of `url` until 200 (or throws after `ms`). */
export async function waitReady(url: string, ms = 15_000, path = '/health/ready'): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(`${url}${path}`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not get ready within ${ms} ms`);
    await sleep(100);
  }
}

/**
 * One more process of a built app (dist/apps/<name>/main.js) next to the system under test (src/support/global-setup.mjs):
 * the same environment (databases, Redis prefix, gRPC URLs) plus `env`, its own free ports.
 */
export async function startApp(
  name: string,
  env: Record<string, string> = {},
  /** `live`: wait for `/health` only (when some of its dependencies are meant to be unreachable). */
  options: { capture?: boolean; live?: boolean } = {},
): Promise<AppProcess> {
  const httpPort = String(await freePort());
  const fullEnv: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    HTTP_PORT: httpPort,
    ...(name !== 'gateway' && { GRPC_PORT: String(await freePort()) }),
    ...(process.env['DB_SUFFIX'] !== undefined && DB_NAMES[name] && { DB_NAME: DB_NAMES[name] + process.env['DB_SUFFIX'] }),
    ...env,
  };
  const child = spawn(process.execPath, [resolve(__dirname, `../../../../dist/apps/${name}/main.js`)], {
    env: fullEnv,
    stdio: ['ignore', options.capture ? 'pipe' : 'ignore', options.capture ? 'pipe' : 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${fullEnv['HTTP_PORT']}`;
  try {
    await waitReady(url, 30_000, options.live ? '/health' : '/health/ready');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    name,
    child,
    url,
    env: fullEnv,
    stop: () => {
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      return exited;
    },
    output: () => output,
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

const DB_NAMES: Record<string, string> = {
  'notes-service': 'micronote_notes',
  'todos-service': 'micronote_todos',
  'user-service': 'micronote_users',
};
