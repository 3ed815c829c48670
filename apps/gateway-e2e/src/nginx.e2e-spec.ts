import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { ChangeEvent } from '@micronote/contracts';
import { io } from 'socket.io-client';

import { GATEWAY_URL, newUser } from './support/api';
import { freePort } from './support/processes';
import { sleep, startSecondGateway } from './support/realtime';

/**
 * deploy/nginx/nginx.conf as it ships, run by Debian's nginx (global setup installs it) on loopback in front
 * of two gateway processes. Only the listen ports, the SPA root, the log paths and the upstream list
 * (gateway-upstream.conf) differ from production; every rewrite must match, so a renamed directive fails here.
 */
const ROOT = resolve(__dirname, '../../..');
const NGINX = '/usr/sbin/nginx';
const WEB_ROOT = join(ROOT, 'dist/apps/web');

/** Replaces `pattern` (which must match exactly `count` times) in `text`. */
function rewrite(text: string, pattern: RegExp, replacement: string, count = 1): string {
  const matches = text.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
  if (matches !== count) throw new Error(`nginx.conf: expected ${count} match(es) of ${pattern}, found ${matches}`);
  return text.replace(new RegExp(pattern.source, 'gm'), replacement);
}

function renderNginxConf(conf: string, options: { httpPort: number; httpsPort: number; webRoot: string; logDir: string }): string {
  let text = rewrite(conf, /^(\s*)listen 80 default_server;$/, `$1listen 127.0.0.1:${options.httpPort} default_server;`);
  text = rewrite(text, /^(\s*)listen 443 ssl http2 default_server;$/, `$1listen 127.0.0.1:${options.httpsPort} ssl http2 default_server;`);
  text = rewrite(text, /^\s*listen \[::\]:(80|443)\b.*$/, '', 2);
  text = rewrite(text, /^(\s*)root \/usr\/share\/nginx\/html;$/, `$1root ${options.webRoot};`);
  text = rewrite(text, /^error_log \/dev\/stderr (\w+);$/, `error_log ${options.logDir}/error.log $1;`);
  return rewrite(text, /^(\s*)access_log \/dev\/stdout main;$/, `$1access_log ${options.logDir}/access.log main;`);
}

interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const insecure = new Agent({ rejectUnauthorized: false, keepAlive: false });

/** One request through nginx (https with the self-signed test certificate, or plain http). */
function send(
  url: string,
  options: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (payload) headers['content-type'] = 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  return new Promise((resolveResponse, reject) => {
    const secure = url.startsWith('https:');
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      { method: options.method ?? 'GET', headers, ...(secure && { agent: insecure }) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('nginx in front of two gateways (deploy/nginx/nginx.conf)', () => {
  let dir: string;
  let nginx: ChildProcess | undefined;
  let second: { url: string; stop(): Promise<void> } | undefined;
  let httpUrl: string;
  let httpsUrl: string;
  let nginxStderr = '';

  beforeAll(async () => {
    if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: the global setup installs Debian's nginx (src/support/global-setup.mjs)`);
    if (!existsSync(join(WEB_ROOT, 'index.html'))) throw new Error(`${WEB_ROOT} is missing: build the web app first (nx e2e does)`);
    second = await startSecondGateway();
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    httpUrl = `http://127.0.0.1:${httpPort}`;
    httpsUrl = `https://127.0.0.1:${httpsPort}`;

    dir = mkdtempSync(join(tmpdir(), 'micronote-nginx-'));
    mkdirSync(join(dir, 'certs'));
    mkdirSync(join(dir, 'logs'));
    // A self-signed certificate where nginx.conf expects it (certs/ beside the config).
    const certificate = ['-keyout', join(dir, 'certs/tls.key'), '-out', join(dir, 'certs/tls.crt')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', ...certificate], {
      stdio: 'ignore',
    });
    copyFileSync('/etc/nginx/mime.types', join(dir, 'mime.types'));
    const upstreams = [GATEWAY_URL, second.url].map((url) => `server ${new URL(url).host} max_fails=3 fail_timeout=10s;`);
    writeFileSync(join(dir, 'gateway-upstream.conf'), upstreams.join('\n') + '\n');
    const conf = readFileSync(join(ROOT, 'deploy/nginx/nginx.conf'), 'utf8');
    writeFileSync(join(dir, 'nginx.conf'), renderNginxConf(conf, { httpPort, httpsPort, webRoot: WEB_ROOT, logDir: join(dir, 'logs') }));

    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    nginx.stderr?.on('data', (chunk: Buffer) => (nginxStderr += chunk.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (nginx.exitCode !== null) throw new Error(`nginx exited (${nginx.exitCode}): ${nginxStderr}`);
      try {
        await send(`${httpUrl}/`);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`nginx did not listen on ${httpUrl}: ${nginxStderr}`);
        await sleep(100);
      }
    }
  }, 30_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      // SIGQUIT: graceful shutdown; SIGKILL if it has not exited within 5 s.
      const child = nginx;
      await new Promise<void>((resolveExit) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveExit();
        });
        child.kill('SIGQUIT');
      });
    }
    await second?.stop();
    insecure.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('redirects plain HTTP to HTTPS', async () => {
    const response = await send(`${httpUrl}/notes?x=1`);
    expect(response.status).toBe(301);
    expect(response.headers['location']).toBe('https://127.0.0.1/notes?x=1');
  });

  it('serves the SPA: index.html revalidated, hashed assets immutable, client routes fall back to index.html', async () => {
    const index = await send(`${httpsUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['strict-transport-security']).toContain('max-age=31536000');
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect(index.headers['x-frame-options']).toBe('DENY');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['server']).toBe('nginx');

    const asset = index.body.match(/\/assets\/[\w.-]+\.js/)?.[0];
    expect(asset).toBeDefined();
    const js = await send(`${httpsUrl}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toContain('max-age=31536000');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await send(`${httpsUrl}/assets/missing-123.js`)).status).toBe(404);

    const route = await send(`${httpsUrl}/notes/42`);
    expect(route.status).toBe(200);
    expect(route.body).toBe(index.body);
    // Health, metrics and the API docs are not published at the edge (the test gateways serve all of them).
    for (const path of ['/metrics', '/health', '/health/ready', '/api/docs', '/api/docs/openapi.json']) {
      expect({ path, status: (await send(`${httpsUrl}${path}`)).status }).toEqual({ path, status: 404 });
    }
  });

  it('lets the SPA connect only to its own wss: origin (CSP connect-src), never to any wss: host', async () => {
    const connectSrc = (csp: unknown) =>
      String(csp)
        .split(';')
        .map((directive) => directive.trim())
        .find((directive) => directive.startsWith('connect-src'));
    const origin = new URL(httpsUrl).host;
    for (const path of ['/', '/index.html', '/notes/42']) {
      const response = await send(`${httpsUrl}${path}`);
      expect({ path, connectSrc: connectSrc(response.headers['content-security-policy']) }).toEqual({
        path,
        connectSrc: `connect-src 'self' wss://${origin}`,
      });
    }
    // A Host header that is not a plain host[:port] gets no wss: source at all (no header injection either).
    const odd = await send(`${httpsUrl}/`, { headers: { host: 'evil.example;script-src *' } });
    expect(connectSrc(odd.headers['content-security-policy'])).toBe("connect-src 'self'");
  });

  it('proxies /api/ to both gateways with the request id, and the realtime event arrives over wss', async () => {
    const user = newUser();
    const registered = await send(`${httpsUrl}/api/auth/register`, { method: 'POST', body: user });
    expect(registered.status).toBe(201);
    const token = (JSON.parse(registered.body) as { accessToken: string }).accessToken;

    // Two sockets: nginx balances them over the two gateways; the event reaches each through Redis.
    const sockets = [0, 1].map(() =>
      io(httpsUrl, { transports: ['websocket'], reconnection: false, forceNew: true, rejectUnauthorized: false, auth: { token } }),
    );
    const received: ChangeEvent[][] = sockets.map(() => []);
    try {
      await Promise.all(
        sockets.map(
          (socket, i) =>
            new Promise<void>((resolveConnect, reject) => {
              socket.on('event', (event: ChangeEvent) => received[i].push(event));
              socket.once('connect', () => resolveConnect());
              socket.once('connect_error', reject);
            }),
        ),
      );
      const requestId = `nginx-e2e-${randomBytes(4).toString('hex')}`;
      const created = await send(`${httpsUrl}/api/notes`, {
        method: 'POST',
        token,
        body: { title: 'Through nginx', text: 'hello' },
        headers: { 'x-request-id': requestId },
      });
      expect(created.status).toBe(201);
      expect(created.headers['x-request-id']).toBe(requestId);
      const note = JSON.parse(created.body) as { id: string };

      const listed = await send(`${httpsUrl}/api/notes`, { token });
      expect(listed.status).toBe(200);
      expect(listed.body).toContain(note.id);

      const deadline = Date.now() + 5_000;
      while (received.some((events) => events.length === 0) && Date.now() < deadline) await sleep(20);
      for (const events of received) expect(events[0]).toMatchObject({ type: 'NOTE_CREATED', noteId: note.id });
    } finally {
      sockets.forEach((socket) => socket.close());
    }

    // More requests, so round robin certainly reaches both upstreams; the access log names each one.
    for (let i = 0; i < 6; i++) expect((await send(`${httpsUrl}/api/notes`, { token })).status).toBe(200);
    await sleep(100);
    const upstreams = new Set(
      readFileSync(join(dir, 'logs/access.log'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { upstream: string }).upstream)
        .filter(Boolean),
    );
    expect([...upstreams].sort()).toEqual([new URL(GATEWAY_URL).host, new URL(second?.url ?? '').host].sort());
  });

  it('rejects a body over 1 MB with 413 before it reaches a gateway', async () => {
    const response = await send(`${httpsUrl}/api/notes`, { method: 'POST', body: { text: 'x'.repeat(1_100_000) } });
    expect(response.status).toBe(413);
  });

  it('limits login attempts per address with 429 under a burst', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        send(`${httpsUrl}/api/auth/login`, { method: 'POST', body: { login: 'nobody', password: 'wrong-password' } }),
      ),
    ).then((responses) => responses.map((response) => response.status));
    expect(statuses).toContain(429);
    // The ones let through reached the gateway (wrong credentials).
    expect(statuses.filter((status) => status !== 429).every((status) => status === 401)).toBe(true);
  });
});
