import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { resolve } from 'node:path';

import { api, GATEWAY_URL, register } from './support/api';
import type { AppProcess } from './support/processes';
import { freePort, sleep, startApp } from './support/processes';
import { connect } from './support/realtime';

/** Where each app of the system under test (src/support/global-setup.mjs) serves /metrics. */
const PROCESSES: Record<string, string | undefined> = {
  gateway: GATEWAY_URL,
  'auth-service': process.env['AUTH_HTTP_URL'],
  'user-service': process.env['USER_HTTP_URL'],
  'notes-service': process.env['NOTES_HTTP_URL'],
  'todos-service': process.env['TODOS_HTTP_URL'],
};

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples and `# TYPE`s of a Prometheus text exposition. */
function parseMetrics(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1], type[2]);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]));
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { samples, types };
}

async function scrape(app: string) {
  const url = PROCESSES[app];
  if (!url) throw new Error(`no URL of ${app} in the environment (the global setup sets <KEY>_HTTP_URL)`);
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return parseMetrics(await response.text());
}

/** The sum of the samples named `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('metrics on every process (/metrics)', () => {
  let before: Record<string, Sample[]>;
  let after: Record<string, Sample[]>;
  let afterTypes: Record<string, Map<string, string>>;
  let socketsOpen: number;

  beforeAll(async () => {
    const apps = Object.keys(PROCESSES);
    before = Object.fromEntries(await Promise.all(apps.map(async (app) => [app, (await scrape(app)).samples])));

    // Real traffic: sign-up, a note (created, listed twice: a cache miss then a hit), a todo, and
    // the note's event relayed to an open tab.
    const { accessToken } = await register();
    const tab = await connect(accessToken);
    const note = await api('POST', '/api/notes', { token: accessToken, body: { title: 'metrics', text: 'counted' } });
    expect(note.status).toBe(201);
    await tab.waitFor(1);
    for (let i = 0; i < 2; i++) expect((await api('GET', '/api/notes?limit=20', { token: accessToken })).status).toBe(200);
    expect((await api('POST', '/api/todos', { token: accessToken, body: { text: 'counted too' } })).status).toBe(201);
    expect((await api('GET', '/api/notes/not-an-id', { token: accessToken })).status).toBe(400);
    socketsOpen = total((await scrape('gateway')).samples, 'micronote_ws_connections');
    tab.close();

    const scraped = await Promise.all(apps.map(async (app) => [app, await scrape(app)] as const));
    after = Object.fromEntries(scraped.map(([app, m]) => [app, m.samples]));
    afterTypes = Object.fromEntries(scraped.map(([app, m]) => [app, m.types]));
  }, 30_000);

  const grew = (app: string, name: string, labels: Record<string, string> = {}) =>
    total(after[app], name, labels) - total(before[app], name, labels);

  it('gateway: HTTP durations by route template, gRPC client calls, edge cache hits and misses, sockets, relayed events, breakers, readiness', () => {
    expect(grew('gateway', 'micronote_http_request_duration_seconds_count', { method: 'POST', route: '/api/notes', status_code: '201' })).toBe(1);
    expect(grew('gateway', 'micronote_http_request_duration_seconds_count', { method: 'GET', route: '/api/notes', status_code: '200' })).toBe(2);
    expect(grew('gateway', 'micronote_http_request_duration_seconds_count', { route: '/api/notes/:id', status_code: '400' })).toBe(1);
    // Route templates only: never an id or a query string as a label value.
    expect(after['gateway'].filter((s) => s.labels['route']?.includes('not-an-id') || s.labels['route']?.includes('?'))).toEqual([]);
    expect(grew('gateway', 'micronote_grpc_client_handled_total', { grpc_service: 'notes-service', grpc_method: 'createNote', grpc_code: 'OK' })).toBe(1);
    // Two identical list reads: the first misses the edge cache and calls notes-service, the second is a hit.
    expect(grew('gateway', 'micronote_grpc_client_handling_seconds_count', { grpc_service: 'notes-service', grpc_method: 'listNotes' })).toBe(1);
    expect(grew('gateway', 'micronote_cache_requests_total', { scope: 'notes', result: 'miss' })).toBe(1);
    expect(grew('gateway', 'micronote_cache_requests_total', { scope: 'notes', result: 'hit' })).toBe(1);
    expect(grew('gateway', 'micronote_grpc_client_handled_total', { grpc_service: 'auth-service', grpc_method: 'register', grpc_code: 'OK' })).toBe(1);
    expect(socketsOpen).toBeGreaterThanOrEqual(1);
    expect(grew('gateway', 'micronote_ws_events_relayed_total', { type: 'NOTE_CREATED' })).toBeGreaterThanOrEqual(1);
    expect(grew('gateway', 'micronote_realtime_relay_seconds_count')).toBeGreaterThanOrEqual(1);
    for (const target of ['auth-service', 'notes-service', 'todos-service', 'user-service']) {
      expect(after['gateway'].find((s) => s.name === 'micronote_circuit_breaker_state' && s.labels['target'] === target)?.value).toBe(0);
    }
    expect(total(after['gateway'], 'micronote_ready')).toBe(1);
  });

  it('services: gRPC server durations and codes per method, DB pool, readiness', () => {
    expect(grew('notes-service', 'micronote_grpc_server_handled_total', { grpc_method: 'createNote', grpc_code: 'OK' })).toBe(1);
    expect(grew('notes-service', 'micronote_grpc_server_handling_seconds_count', { grpc_method: 'listNotes', grpc_code: 'OK' })).toBe(1);
    expect(grew('todos-service', 'micronote_grpc_server_handled_total', { grpc_method: 'createTodo', grpc_code: 'OK' })).toBe(1);
    expect(grew('auth-service', 'micronote_grpc_server_handled_total', { grpc_method: 'register', grpc_code: 'OK' })).toBe(1);
    expect(grew('auth-service', 'micronote_grpc_client_handled_total', { grpc_service: 'user-service', grpc_code: 'OK' })).toBeGreaterThanOrEqual(1);
    expect(grew('user-service', 'micronote_grpc_server_handled_total', { grpc_code: 'OK' })).toBeGreaterThanOrEqual(1);
    for (const app of ['notes-service', 'todos-service', 'user-service']) {
      expect(total(after[app], 'micronote_db_pool_connections', { state: 'limit' })).toBeGreaterThan(0);
      expect(total(after[app], 'micronote_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
      expect(after[app].some((s) => s.name === 'micronote_db_pool_connections' && s.labels['state'] === 'waiting')).toBe(true);
    }
    for (const app of Object.keys(PROCESSES)) expect(total(after[app], 'micronote_ready')).toBe(1);
  });

  it('has every series the Grafana dashboard and the alert rules query (no panel or alert empty for a misspelt name)', () => {
    const deploy = (path: string) => readFileSync(resolve(__dirname, '../../../deploy', path), 'utf8');
    const queried = new Set([...`${deploy('grafana/dashboards/micronote.json')}\n${deploy('prometheus/alerts.yml')}`.matchAll(/\bmicronote_\w+/g)].map(([name]) => name));
    // Declared (`# TYPE`) counts too: a labelled counter nothing has incremented yet has no sample line.
    const declared = Object.values(afterTypes).flatMap((types) =>
      [...types].flatMap(([name, type]) => (type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name])),
    );
    const exposed = new Set([...Object.values(after).flatMap((samples) => samples.map((s) => s.name)), ...declared]);
    expect([...queried].filter((name) => !exposed.has(name))).toEqual([]);
    expect(queried.size).toBeGreaterThan(10);
  });

  it('every process has the Node process metrics, and every MicroNote metric follows the naming conventions', () => {
    for (const app of Object.keys(PROCESSES)) {
      const names = new Set(after[app].map((s) => s.name));
      for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
        expect([app, names.has(name)]).toEqual([app, true]);
      }
      for (const [name, type] of afterTypes[app]) {
        if (!name.startsWith('micronote_')) continue;
        expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
        if (type === 'counter') expect(name).toMatch(/_total$/);
        if (type === 'histogram') expect(name).toMatch(/_seconds$/);
      }
    }
  });
});

interface SpanRecord {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** An OTLP/HTTP (JSON) trace receiver on a free loopback port, keeping every span in memory. */
async function startCollector(): Promise<{ url: string; spans: SpanRecord[]; close(): Promise<void> }> {
  const spans: SpanRecord[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as {
          resourceSpans: {
            resource: { attributes: { key: string; value: { stringValue?: string } }[] };
            scopeSpans: { spans: (Omit<SpanRecord, 'service' | 'attributes'> & { attributes?: { key: string; value: Record<string, unknown> }[] })[] }[];
          }[];
        };
        for (const resourceSpans of payload.resourceSpans) {
          const service = resourceSpans.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const { spans: batch } of resourceSpans.scopeSpans) {
            for (const span of batch) {
              const attributes = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]));
              spans.push({ ...span, service, attributes, parentSpanId: span.parentSpanId || undefined });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The JSON log lines of a process's output (every line must be one). */
function jsonLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

describe('one request id in every log, one trace across the gRPC hop (a gateway and a notes-service of their own)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let notes: AppProcess;
  let gateway: AppProcess;

  beforeAll(async () => {
    collector = await startCollector();
    const traced = { LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
    notes = await startApp('notes-service', traced, { capture: true });
    gateway = await startApp(
      'gateway',
      { ...traced, GRPC_NOTES_URL: `127.0.0.1:${notes.env['GRPC_PORT']}`, AUTH_RATE_LIMIT: '100000', API_RATE_LIMIT: '100000' },
      { capture: true },
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all([gateway?.stop(), notes?.stop()]);
    await collector?.close();
  });

  it('logs JSON lines with the same reqId in the gateway and the notes-service, and exports one trace gateway → notes-service → MySQL/Redis', async () => {
    const { accessToken } = await register();
    const requestId = `e2e-${randomUUID()}`;
    const response = await fetch(`${gateway.url}/api/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ title: 'traced', text: 'through every hop' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe(requestId);

    // Logs: the gateway's request line and the notes-service's call line carry the same reqId (and trace).
    let gatewayLine: Record<string, unknown> | undefined;
    let notesLine: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && !(gatewayLine && notesLine); i++) {
      await sleep(100);
      gatewayLine = jsonLines(gateway.output()).find((line) => line['reqId'] === requestId && line['msg'] === 'request completed');
      notesLine = jsonLines(notes.output()).find((line) => line['reqId'] === requestId && line['msg'] === 'rpc completed');
    }
    expect(gatewayLine).toMatchObject({ level: 'info', app: 'gateway', req: { method: 'POST', url: '/api/notes' }, res: { statusCode: 201 } });
    expect(notesLine).toMatchObject({ level: 'info', app: 'notes-service', rpc: 'NotesService/createNote', code: 'OK' });
    expect(typeof gatewayLine?.['time']).toBe('string');
    expect(gatewayLine?.['traceId']).toMatch(/^[0-9a-f]{32}$/);
    expect(notesLine?.['traceId']).toBe(gatewayLine?.['traceId']);
    // No secrets in the request lines: headers are not logged.
    expect(gateway.output()).not.toContain(accessToken);

    // Spans: HTTP server (gateway) → gRPC client (gateway) → gRPC server (notes-service) → MySQL and Redis.
    const traceId = String(gatewayLine?.['traceId']);
    const inTrace = () => collector.spans.filter((span) => span.traceId === traceId);
    const find = (service: string, predicate: (span: SpanRecord) => boolean) => inTrace().find((s) => s.service === service && predicate(s));
    const SERVER = 2;
    const CLIENT = 3;
    const dbSystem = (span: SpanRecord) => String(span.attributes['db.system.name'] ?? span.attributes['db.system']);
    const lookUp = () => ({
      httpServer: find('gateway', (s) => s.kind === SERVER && !s.parentSpanId),
      grpcClient: find('gateway', (s) => s.kind === CLIENT && /NotesService\/CreateNote$/.test(s.name)),
      grpcServer: find('notes-service', (s) => s.kind === SERVER && /NotesService\/CreateNote$/.test(s.name)),
      mysql: find('notes-service', (s) => s.kind === CLIENT && ['mysql', 'mariadb'].includes(dbSystem(s))),
      redis: find('notes-service', (s) => s.kind === CLIENT && dbSystem(s) === 'redis'),
    });
    // Each process exports its spans in batches (every 100 ms here), the gateway's last.
    let found = lookUp();
    for (let i = 0; i < 50 && Object.values(found).some((span) => !span); i++) {
      await sleep(100);
      found = lookUp();
    }
    const { httpServer, grpcClient, grpcServer, mysql, redis } = found;
    // (The span list is part of the compared value so that a failure shows what did arrive.)
    const spans = inTrace().map((s) => `${s.service}: ${s.name}`);
    expect({ spans, found: Object.entries(found).filter(([, span]) => !span) }).toEqual({ spans, found: [] });
    expect(grpcClient?.parentSpanId).toBe(httpServer?.spanId);
    // The hop: the service's span is a child of the gateway's client span (context in the call's metadata).
    expect(grpcServer?.parentSpanId).toBe(grpcClient?.spanId);
    expect(mysql?.parentSpanId).toBe(grpcServer?.spanId);
    expect(redis?.parentSpanId).toBe(grpcServer?.spanId);
    // Statements without values: no note text, no session id in a span.
    const statements = inTrace().map((span) => String(span.attributes['db.query.text'] ?? span.attributes['db.statement'] ?? ''));
    expect(statements.filter((text) => text.includes('through every hop'))).toEqual([]);
    expect(redis?.attributes['db.query.text'] ?? redis?.attributes['db.statement']).toMatch(/^[a-z]+$/);
  });

  it('starts traces only at incoming requests: background jobs (purgers, subscribers) make none of their own', async () => {
    await sleep(1_500);
    expect(collector.spans.filter((span) => !span.parentSpanId && span.kind !== 2).map((span) => `${span.service}: ${span.name}`)).toEqual([]);
  });

  it('does not trace or log probes and scrapes', async () => {
    await fetch(`${gateway.url}/metrics`);
    await fetch(`${gateway.url}/health/ready`);
    await sleep(300);
    expect(collector.spans.filter((span) => span.service === 'gateway' && /metrics|health/.test(String(span.attributes['url.path'] ?? span.attributes['http.target'] ?? span.name)))).toEqual([]);
    expect(jsonLines(gateway.output()).filter((line) => /\/(metrics|health)/.test(String((line['req'] as { url?: string } | undefined)?.url)))).toEqual([]);
  });
});
