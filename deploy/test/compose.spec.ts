import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appsList, envSpec, generateSecrets, interpolateDeep, read, readYaml, ROOT, which } from './support';

/**
 * docker-compose.yml, validated without a Docker engine: Debian's docker-compose 1.29 (`config -q`, installed
 * by npm test) checks the schema, and the assertions below check what the stack needs to come up.
 */
type Service = {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
};

/** docker-compose.yml as Compose sees it with a .env from `npm run secrets` (variables interpolated, merges resolved). */
const secrets = generateSecrets();
const compose = interpolateDeep(readYaml('docker-compose.yml'), secrets.values) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  networks: any;
};
const services = compose.services;
const apps = appsList();
/** Compose services running `app` (gateway-1, gateway-2 for the gateway), migrations excluded. */
const instancesOf = (app: string) =>
  Object.entries(services).filter(([, service]) => service.image === `micronote/${app}:local` && !service.command?.includes('migrate'));
const OTHER_ENV = new Set(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME']);
const CACHE_APPS = ['gateway', 'notes-service', 'todos-service'];
const IDENTITY_KEYS: Record<string, string> = {
  gateway: 'GATEWAY_SERVICE_IDENTITY_KEY',
  'auth-service': 'AUTH_SERVICE_IDENTITY_KEY',
  'user-service': 'USER_SERVICE_IDENTITY_KEY',
};
/** Every compose service that runs an app image (instances and migrations). */
const appServices = () =>
  Object.entries(services).filter(([, service]) => service.image?.startsWith('micronote/') && service.image !== 'micronote/web:local');

describe('docker-compose.yml', () => {
  const dockerCompose = which('docker-compose', ['/usr/bin/docker-compose']);

  it('is valid for Compose (docker-compose config -q)', () => {
    if (!dockerCompose) {
      console.warn("docker-compose is not installed (npm test installs Debian's): skipping `docker-compose config -q`");
      return;
    }
    expect(() =>
      execFileSync(dockerCompose, ['-f', join(ROOT, 'docker-compose.yml'), '--env-file', secrets.file, 'config', '-q'], {
        cwd: ROOT,
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });

  it('runs the infrastructure, the five apps, the edge and the observability stack', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['mysql', 'redis', 'web', 'prometheus', 'grafana', 'jaeger']));
    for (const app of apps) expect(instancesOf(app.name).length).toBeGreaterThan(0);
    expect(instancesOf('gateway').length).toBeGreaterThanOrEqual(2);
  });

  it('builds every app with the one Dockerfile (ARG APP) and every referenced file exists', () => {
    for (const app of apps) {
      for (const [name, service] of instancesOf(app.name)) {
        expect({ name, build: service.build }).toEqual({
          name,
          build: { context: '.', dockerfile: 'deploy/docker/Dockerfile', args: { APP: app.name } },
        });
      }
    }
    for (const [name, service] of Object.entries(services)) {
      if (service.build)
        expect({ name, exists: existsSync(join(ROOT, service.build.context, service.build.dockerfile)) }).toEqual({ name, exists: true });
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.'))
          expect({ name, source, exists: existsSync(join(ROOT, source)) }).toEqual({ name, source, exists: true });
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
  });

  it('has a healthcheck on every long-running service and only healthy/completed depends_on conditions', () => {
    for (const [name, service] of Object.entries(services)) {
      const oneShot = service.command?.includes('migrate');
      if (!oneShot) expect({ name, healthcheck: Array.isArray(service.healthcheck?.test) }).toEqual({ name, healthcheck: true });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency]).toBeDefined();
        const isMigration = services[dependency].command?.includes('migrate');
        expect({ name, dependency, condition }).toEqual({
          name,
          dependency,
          condition: isMigration ? 'service_completed_successfully' : 'service_healthy',
        });
        if (!isMigration) expect(services[dependency].healthcheck).toBeDefined();
      }
    }
  });

  it('migrates each database before its service starts', () => {
    for (const app of apps.filter((a) => a.dbName)) {
      const migrations = Object.entries(services).filter(
        ([, s]) => s.image === `micronote/${app.name}:local` && s.command?.includes('migrate'),
      );
      expect({ app: app.name, migrations: migrations.length }).toEqual({ app: app.name, migrations: 1 });
      const [migrationName, migration] = migrations[0];
      expect(migration.command).toEqual(['node', 'main.js', 'migrate']);
      expect(migration.environment?.['DB_NAME']).toBe(app.dbName);
      for (const [name, service] of instancesOf(app.name)) {
        expect({ name, condition: service.depends_on?.[migrationName]?.condition }).toEqual({
          name,
          condition: 'service_completed_successfully',
        });
        expect(service.depends_on?.['mysql']?.condition).toBe('service_healthy');
      }
    }
  });

  it('gives every app the variables it requires, pointing at the compose services, and none it does not know', () => {
    for (const app of apps) {
      const spec = envSpec(app.name);
      for (const [name, service] of instancesOf(app.name)) {
        const env = service.environment ?? {};
        const given = new Set(Object.keys(env));
        for (const variable of spec.required)
          expect({ name, variable, given: given.has(variable) }).toEqual({ name, variable, given: true });
        // The defaults of every URL are loopback addresses: inside a container they must be set.
        for (const variable of [...spec.declared].filter((v) => v.endsWith('_URL'))) {
          expect({ name, variable, given: given.has(variable) }).toEqual({ name, variable, given: true });
          expect(env[variable]).not.toMatch(/127\.0\.0\.1|localhost/);
        }
        if (spec.classes.includes('JwtEnv')) expect(env['JWT_SECRET']?.length).toBeGreaterThanOrEqual(32);
        const unknown = [...given].filter((variable) => !spec.declared.has(variable) && !OTHER_ENV.has(variable));
        expect({ name, unknown }).toEqual({ name, unknown: [] });
        expect(env['HTTP_PORT']).toBe(String(app.httpPort));
        if (app.grpcPort) expect(env['GRPC_PORT']).toBe(String(app.grpcPort));
        if (app.dbName) expect(env['DB_NAME']).toBe(app.dbName);
        for (const target of apps.filter((a) => a.grpcPort && spec.declared.has(`GRPC_${a.key}_URL`))) {
          expect(env[`GRPC_${target.key}_URL`]).toBe(`dns:///${target.name}:${target.grpcPort}`);
        }
        expect(env['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('http://jaeger:4318');
      }
    }
  });

  it('has no secret of its own: every one comes from .env (`${VAR:?...}`), and without it Compose stops naming `npm run secrets`', () => {
    const text = read('docker-compose.yml');
    const withDefault = [...text.matchAll(/\$\{(\w+):?-[^}]*\}/g)].map(([, name]) => name);
    expect([...new Set(withDefault)].sort()).toEqual(['MICRONOTE_HTTPS_PORT', 'MICRONOTE_HTTP_PORT']);
    const required = new Set([...text.matchAll(/\$\{(\w+):\?[^}]*npm run secrets[^}]*\}/g)].map(([, name]) => name));
    expect([...required].sort()).toEqual(Object.keys(secrets.values).sort());
    expect(() => interpolateDeep(readYaml('docker-compose.yml'), {})).toThrow(/npm run secrets/);
    expect(read('.gitignore').split('\n')).toEqual(expect.arrayContaining(['.env', '.env.k8s']));
    if (!dockerCompose) return;
    const empty = join(mkdtempSync(join(tmpdir(), 'micronote-env-')), 'empty.env');
    writeFileSync(empty, '');
    const run = spawnSync(dockerCompose, ['-f', join(ROOT, 'docker-compose.yml'), '--env-file', empty, 'config', '-q'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('npm run secrets');
  });

  it('binds every app to 0.0.0.0 in production mode, without gRPC reflection or API docs', () => {
    for (const [name, service] of appServices()) {
      const env = service.environment ?? {};
      expect({ name, HOST: env['HOST'], NODE_ENV: env['NODE_ENV'] }).toEqual({ name, HOST: '0.0.0.0', NODE_ENV: 'production' });
      expect({ name, reflection: env['GRPC_REFLECTION'] ?? 'false', docs: env['API_DOCS'] ?? 'false' }).toEqual({
        name,
        reflection: 'false',
        docs: 'false',
      });
    }
  });

  it('gives each app its own credentials: Redis passwords in the URLs, its own MySQL user, its own identity key', () => {
    const s = secrets.values;
    for (const [name, service] of appServices()) {
      const app = apps.find((a) => service.image === `micronote/${a.name}:local`);
      if (!app) throw new Error(`${name}: unknown app image ${service.image}`);
      const env = service.environment ?? {};
      expect({ name, REDIS_URL: env['REDIS_URL'] }).toEqual({ name, REDIS_URL: `redis://:${s['REDIS_PASSWORD']}@redis:6379` });
      const migration = service.command?.includes('migrate');
      if (!migration) {
        expect({ name, READ_CACHE_REDIS_URL: env['READ_CACHE_REDIS_URL'] }).toEqual({
          name,
          READ_CACHE_REDIS_URL: CACHE_APPS.includes(app.name) ? `redis://:${s['READ_CACHE_REDIS_PASSWORD']}@redis-cache:6379` : undefined,
        });
        expect({ name, peers: env['SERVICE_IDENTITY_PEERS'] }).toEqual({ name, peers: s['SERVICE_IDENTITY_PEERS'] });
        expect({ name, key: env['SERVICE_IDENTITY_KEY'] }).toEqual({ name, key: IDENTITY_KEYS[app.name] && s[IDENTITY_KEYS[app.name]] });
      }
      if (app.dbName) {
        const password = s[`${app.dbName.replace('micronote_', '').toUpperCase()}_MYSQL_PASSWORD`];
        expect({ name, MYSQL_URL: env['MYSQL_URL'] }).toEqual({ name, MYSQL_URL: `mysql://${app.dbName}:${password}@mysql:3306` });
      } else expect(env['MYSQL_URL']).toBeUndefined();
      expect({ name, jwt: env['JWT_SECRET'] }).toEqual({
        name,
        jwt: ['gateway', 'auth-service'].includes(app.name) ? s['JWT_SECRET'] : undefined,
      });
    }
  });

  it('runs Redis with a password and noeviction, and the read cache in a second Redis with allkeys-lru', () => {
    const option = (service: Service, flag: string) => service.command?.[service.command.indexOf(flag) + 1];
    const redis = services['redis'];
    const cache = services['redis-cache'];
    expect(option(redis, '--requirepass')).toBe(secrets.values['REDIS_PASSWORD']);
    expect(option(redis, '--maxmemory')).toMatch(/^\d+mb$/);
    expect(option(redis, '--maxmemory-policy')).toBe('noeviction');
    expect(option(cache, '--requirepass')).toBe(secrets.values['READ_CACHE_REDIS_PASSWORD']);
    expect(option(cache, '--maxmemory')).toMatch(/^\d+mb$/);
    expect(option(cache, '--maxmemory-policy')).toBe('allkeys-lru');
    // The healthchecks authenticate (REDISCLI_AUTH), else a password-protected Redis never turns healthy.
    expect(redis.environment?.['REDISCLI_AUTH']).toBe(secrets.values['REDIS_PASSWORD']);
    expect(cache.environment?.['REDISCLI_AUTH']).toBe(secrets.values['READ_CACHE_REDIS_PASSWORD']);
  });

  it('creates the per-service MySQL users on MariaDB’s first start, and Grafana has no default admin password', () => {
    const mysql = services['mysql'];
    expect(mysql.volumes).toContain('./deploy/k8s/base/mysql/create-users.sh:/docker-entrypoint-initdb.d/10-create-users.sh:ro');
    for (const key of ['NOTES_MYSQL_PASSWORD', 'TODOS_MYSQL_PASSWORD', 'USERS_MYSQL_PASSWORD'])
      expect(mysql.environment?.[key]).toBe(secrets.values[key]);
    expect(mysql.environment?.['MARIADB_ROOT_PASSWORD']).toBe(secrets.values['MYSQL_ROOT_PASSWORD']);
    const grafana = services['grafana'].environment ?? {};
    expect(grafana['GF_SECURITY_ADMIN_PASSWORD']).toBe(secrets.values['GRAFANA_ADMIN_PASSWORD']);
    expect(grafana['GF_AUTH_ANONYMOUS_ENABLED']).toBe('false');
  });

  it('sets TRUST_PROXY on the gateways to the network nginx is on', () => {
    const network = compose.networks.micronote.ipam.config[0].subnet;
    for (const [, service] of instancesOf('gateway')) expect(service.environment?.['TRUST_PROXY']).toBe(network);
  });

  it('lists every gateway instance in the nginx upstream and every app in the Prometheus targets', () => {
    const upstream = read('deploy/nginx/gateway-upstream.conf');
    const servers = [...upstream.matchAll(/^server ([\w.-]+:\d+)/gm)].map(([, server]) => server).sort();
    expect(servers).toEqual(
      instancesOf('gateway')
        .map(([name]) => `${name}:8080`)
        .sort(),
    );

    const prometheus = readYaml<{ scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[]; rule_files: string[] }>(
      'deploy/prometheus/prometheus.yml',
    );
    for (const app of apps) {
      const job = prometheus.scrape_configs.find((config) => config.job_name === app.name);
      const targets = job?.static_configs.flatMap((config) => config.targets).sort();
      expect({ app: app.name, targets }).toEqual({
        app: app.name,
        targets: instancesOf(app.name)
          .map(([name]) => `${name}:${app.httpPort}`)
          .sort(),
      });
    }
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(services['prometheus'].volumes).toContain('./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro');
  });
});

describe('deploy/docker/Dockerfile', () => {
  const dockerfile = read('deploy/docker/Dockerfile');

  it('is one multi-stage pattern: ARG APP, a slim Node runtime as a non-root user, a healthcheck, node main.js', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-slim$/m);
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^ARG APP$/m);
    expect(dockerfile).not.toMatch(/^RUN npm ci(?! --omit=dev)/m); // RECIPE pitfall 2: not on the whole workspace's lock
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/^EXPOSE /m);
    expect(dockerfile).toMatch(/^CMD \["node", "main\.js"\]$/m);
    // The runtime stage is the last one.
    expect(dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))).toContain('AS runtime');
  });

  it('keeps the build context small (.dockerignore)', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
  });
});

describe('tools/scripts/secrets.mjs (npm run secrets)', () => {
  const decodedLength = (value: string) => (/^[0-9a-f]{64}$/.test(value) ? 32 : Buffer.from(value, 'base64url').length);

  it('writes every secret with at least 32 random bytes, different on every run', () => {
    const first = generateSecrets().values;
    const second = generateSecrets().values;
    for (const [key, value] of Object.entries(first)) {
      if (key === 'SERVICE_IDENTITY_PEERS') continue;
      expect({ key, bytes: decodedLength(value) >= 32, urlSafe: /^[A-Za-z0-9_-]+$/.test(value) }).toEqual({
        key,
        bytes: true,
        urlSafe: true,
      });
      expect(second[key]).not.toBe(value);
    }
    expect(Object.keys(generateSecrets(['--k8s']).values).sort()).toEqual(
      Object.keys(first)
        .filter((key) => !['MYSQL_ROOT_PASSWORD', 'GRAFANA_ADMIN_PASSWORD'].includes(key))
        .sort(),
    );
  });

  it('makes one Ed25519 key per gRPC caller, and SERVICE_IDENTITY_PEERS holds the matching public keys', () => {
    const values = generateSecrets().values;
    const peers = Object.fromEntries(values['SERVICE_IDENTITY_PEERS'].split(',').map((entry) => entry.split(':')));
    expect(Object.keys(peers).sort()).toEqual(Object.keys(IDENTITY_KEYS).sort());
    for (const [app, variable] of Object.entries(IDENTITY_KEYS)) {
      const seed = Buffer.from(values[variable], 'base64url');
      expect(seed.length).toBe(32);
      // The PKCS#8 prefix of a raw Ed25519 seed (RFC 8410).
      const privateKey = createPrivateKey({
        key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
        format: 'der',
        type: 'pkcs8',
      });
      const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64url');
      expect({ app, publicKey: peers[app] }).toEqual({ app, publicKey });
    }
  });
});

describe('deploy/nginx/nginx.conf', () => {
  const conf = read('deploy/nginx/nginx.conf');

  it('lets the SPA connect only to its own wss: origin, and publishes no docs, health or metrics', () => {
    const policies = [...conf.matchAll(/Content-Security-Policy "([^"]+)"/g)].map(([, policy]) => policy);
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      const connectSrc = policy.split(';').find((directive) => directive.trim().startsWith('connect-src'));
      expect(connectSrc?.trim()).toBe("connect-src 'self' $micronote_wss_origin");
    }
    expect(conf).toMatch(/location \^~ \/api\/docs \{\s*return 404;/);
    expect(conf).toMatch(/location ~ \^\/\(health\|metrics\)\(\/\|\$\) \{\s*return 404;/);
  });
});
