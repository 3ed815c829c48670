import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { parse, parseAllDocuments } from 'yaml';

export const ROOT = resolve(__dirname, '../..');

export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** One YAML document (merge keys `<<` resolved, as Compose does). */
export const readYaml = <T = any>(path: string): T => parse(read(path), { merge: true }) as T;

/** Every document of a multi-document YAML text. */
export function parseDocuments(text: string): any[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('\n'));
      return doc.toJS() as unknown;
    })
    .filter(Boolean);
}

export interface AppInfo {
  name: string;
  key: string;
  httpPort: number;
  grpcPort?: number;
  dbName?: string;
}

/** The deployable apps as tools/scripts/lib/apps.mjs lists them (the one list of apps, ports and databases). */
export function appsList(): AppInfo[] {
  const source = read('tools/scripts/lib/apps.mjs');
  const apps = [...source.matchAll(/\{ name: '([\w-]+)', key: '(\w+)', httpPort: (\d+)(?:, grpcPort: (\d+))?(?:, dbName: '(\w+)')?/g)].map(
    ([, name, key, httpPort, grpcPort, dbName]) => ({
      name,
      key,
      httpPort: Number(httpPort),
      ...(grpcPort && { grpcPort: Number(grpcPort) }),
      ...(dbName && { dbName }),
    }),
  );
  if (apps.length !== 5) throw new Error(`expected the five apps in tools/scripts/lib/apps.mjs, parsed ${apps.length}`);
  return apps;
}

export interface EnvSpec {
  /** Every variable the app's env classes declare. */
  declared: Set<string>;
  /** Declared without a default (`NAME!: type`): must be given (validateEnv may fill some per app). */
  required: Set<string>;
  /** The env classes the app validates with. */
  classes: string[];
}

function classProperties(source: string, className: string): { name: string; required: boolean }[] {
  const start = source.indexOf(`export class ${className} {`);
  if (start < 0) return [];
  const body = source.slice(start, source.indexOf('\n}', start));
  return [...body.matchAll(/^\s{2}([A-Z][A-Z0-9_]*)(!|\?)?:/gm)].map(([, name, mark]) => ({ name, required: mark === '!' }));
}

/** What apps/<app>/src/config/env.validation.ts validates: libs/server/core's env classes plus the app's own. */
export function envSpec(app: string): EnvSpec {
  const validation = read(`apps/${app}/src/config/env.validation.ts`);
  const core = read('libs/server/core/src/lib/config/env.ts');
  const call = validation.match(/validateEnv\(\s*\{[^}]*\},([^)]*)\)/);
  if (!call) throw new Error(`no validateEnv(...) call in apps/${app}/src/config/env.validation.ts`);
  const classes = call[1]
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const declared = new Set<string>();
  const required = new Set<string>();
  for (const className of classes) {
    const properties = [...classProperties(core, className), ...classProperties(validation, className)];
    if (properties.length === 0) throw new Error(`env class ${className} of ${app} not found`);
    for (const property of properties) {
      declared.add(property.name);
      if (property.required) required.add(property.name);
    }
  }
  return { declared, required, classes };
}

/** Metric names of the metrics contract (all app metrics: `micronote_` + prom-client's default process/nodejs ones). */
export const CONTRACT_METRICS = {
  histograms: [
    'micronote_http_request_duration_seconds',
    'micronote_grpc_server_handling_seconds',
    'micronote_grpc_client_handling_seconds',
    'micronote_realtime_relay_seconds',
    'micronote_reminder_lateness_seconds',
  ],
  others: [
    'micronote_grpc_server_handled_total',
    'micronote_grpc_client_handled_total',
    'micronote_ws_connections',
    'micronote_ws_events_relayed_total',
    'micronote_cache_requests_total',
    'micronote_circuit_breaker_state',
    'micronote_circuit_breaker_rejections_total',
    'micronote_grpc_client_retries_total',
    'micronote_db_pool_connections',
    'micronote_ready',
    'micronote_reminders_fired_total',
    'micronote_reminder_poll_failures_total',
    'micronote_reminder_last_poll_seconds',
  ],
};

/** The metric names a PromQL expression uses (histogram series `_bucket|_count|_sum` map to their histogram). */
export function metricsIn(expr: string): string[] {
  const names = expr.match(/\b(?:micronote|process|nodejs)_[a-z0-9_]+\b|\bup\b(?=\s*[{=!<>])/g) ?? [];
  return [...new Set(names.map((name) => name.replace(/_(bucket|count|sum)$/, '')))];
}

/** Whether a metric name is one the apps expose (contract, Prometheus' `up`, prom-client defaults). */
export function isKnownMetric(name: string): boolean {
  return (
    CONTRACT_METRICS.histograms.includes(name) ||
    CONTRACT_METRICS.others.includes(name) ||
    name === 'up' ||
    /^(process|nodejs)_[a-z0-9_]+$/.test(name)
  );
}

/** The path of a command-line tool, or null. */
export function which(command: string, candidates: string[]): string | null {
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** KEY=VALUE lines of an env file (comments and blank lines skipped). */
export function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Fresh secrets from tools/scripts/secrets.mjs (written to a temporary file, as `npm run secrets` does). */
export function generateSecrets(args: string[] = []): { file: string; values: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'micronote-secrets-'));
  const file = join(dir, 'secrets.env');
  execFileSync(process.execPath, [join(ROOT, 'tools/scripts/secrets.mjs'), '--out', file, ...args], { stdio: 'pipe' });
  return { file, values: parseEnvFile(readFileSync(file, 'utf8')) };
}

/**
 * Compose's variable interpolation (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:?message}`, `$$`) of one
 * string: throws like Compose when a `:?` variable is unset or empty.
 */
export function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$(\w+)/g, (match, braced, operator, argument, bare) => {
    if (match === '$$') return '$';
    const name = braced ?? bare;
    const value = env[name];
    if (operator?.endsWith('?') && !value) throw new Error(`${name}: ${argument}`);
    if (operator?.endsWith('-') && !value) return argument;
    return value ?? '';
  });
}

/** A parsed Compose file with every string value interpolated, as Compose does it (comments are not). */
export function interpolateDeep<T>(value: T, env: Record<string, string>): T {
  if (typeof value === 'string') return interpolate(value, env) as T;
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, env)])) as T;
  return value;
}
