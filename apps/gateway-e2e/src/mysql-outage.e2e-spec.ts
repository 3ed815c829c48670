// MySQL stopped and started again under a notes-service of its own (a private mariadbd with its own
// data directory; the shared server is never touched): 503 fast, readiness red, nothing
// acknowledged lost, recovery without restarts.
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { createConnection } from 'mysql2/promise';

import { register } from './support/api';
import type { AppProcess } from './support/processes';
import { freePort, sleep, startApp } from './support/processes';

describe('MySQL outage (notes-service on a private mariadbd)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mn-mysql-'));
  let port: number;
  let mysql: ChildProcess;
  let notes: AppProcess;
  let gateway: AppProcess;
  let token: string;

  async function startMysql(): Promise<ChildProcess> {
    const child = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${dir}/data`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${dir}/mysqld.sock`,
        `--pid-file=${dir}/mysqld.pid`,
        '--user=root',
        '--skip-grant-tables',
        '--innodb-buffer-pool-size=16M',
        '--skip-log-bin',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        const connection = await createConnection({ host: '127.0.0.1', port, user: 'root' });
        await connection.end();
        return child;
      } catch {
        if (Date.now() > deadline) throw new Error('the private mariadbd did not start');
        await sleep(100);
      }
    }
  }

  const call = async (method: string, path: string, body?: unknown) => {
    const started = performance.now();
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, any>, ms: performance.now() - started };
  };

  beforeAll(async () => {
    port = await freePort();
    execFileSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'],
      { stdio: 'ignore' },
    );
    mysql = await startMysql();
    const mysqlUrl = `mysql://root@127.0.0.1:${port}`;
    execFileSync(process.execPath, [resolve(__dirname, '../../../dist/apps/notes-service/main.js'), 'migrate'], {
      env: { ...process.env, MYSQL_URL: mysqlUrl, DB_NAME: 'micronote_notes', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    notes = await startApp('notes-service', { MYSQL_URL: mysqlUrl, DB_NAME: 'micronote_notes' });
    gateway = await startApp('gateway', {
      GRPC_NOTES_URL: `127.0.0.1:${notes.env['GRPC_PORT']}`,
      AUTH_RATE_LIMIT: '100000',
      API_RATE_LIMIT: '100000',
    });
    token = (await register()).accessToken;
  }, 60_000);

  afterAll(async () => {
    const codes = await Promise.all([gateway?.stop(), notes?.stop()]);
    mysql?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    expect(codes).toEqual([0, 0]);
  });

  it('answers 503 fast while MySQL is down, readiness goes red, and it recovers by itself with every acknowledged note', async () => {
    const before = await call('POST', '/api/notes', { title: 'acknowledged before the outage', text: 'x' });
    expect(before.status).toBe(201);

    mysql.kill('SIGKILL');
    await sleep(200);
    for (const [method, path, body] of [
      ['GET', '/api/notes', undefined],
      ['GET', `/api/notes/${before.body['id']}`, undefined],
      ['POST', '/api/notes', { title: 'during', text: 'x' }],
    ] as const) {
      const response = await call(method, path, body);
      expect({ path, status: response.status, code: response.body['code'] }).toEqual({ path, status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(response.ms).toBeLessThan(2_500);
    }
    expect((await fetch(`${notes.url}/health/ready`)).status).toBe(503);
    expect((await fetch(`${notes.url}/health`)).status).toBe(200);
    // Other parts of the system do not depend on notes-service's database.
    expect((await call('GET', '/api/todos')).status).toBe(200);

    mysql = await startMysql();
    const back = Date.now();
    let list = await call('GET', '/api/notes');
    while (list.status !== 200 && Date.now() - back < 10_000) {
      await sleep(100);
      list = await call('GET', '/api/notes');
    }
    console.log(`MySQL back: notes list answers 200 after ${Date.now() - back} ms`);
    expect(list.status).toBe(200);
    expect(Date.now() - back).toBeLessThan(5_000);
    expect(list.body['items'].map((n: { title: string }) => n.title)).toContain('acknowledged before the outage');
    expect((await fetch(`${notes.url}/health/ready`)).status).toBe(200);
    expect((await call('POST', '/api/notes', { title: 'after', text: 'x' })).status).toBe(201);
  }, 60_000);
});
