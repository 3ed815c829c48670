import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { appsList, envSpec, read, readYaml, ROOT, which } from './support';

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

const compose = readYaml<{ services: Record<string, Service>; volumes: Record<string, unknown> }>('docker-compose.yml');
const services = compose.services;
const apps = appsList();
/** Compose services running `app` (gateway-1, gateway-2 for the gateway), migrations excluded. */
const instancesOf = (app: string) =>
  Object.entries(services).filter(([, service]) => service.image === `micronote/${app}:local` && !service.command?.includes('migrate'));
const OTHER_ENV = new Set(['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME']);

describe('docker-compose.yml', () => {
  const dockerCompose = which('docker-compose', ['/usr/bin/docker-compose']);

  it('is valid for Compose (docker-compose config -q)', () => {
    if (!dockerCompose) {
      console.warn("docker-compose is not installed (npm test installs Debian's): skipping `docker-compose config -q`");
      return;
    }
    expect(() =>
      execFileSync(dockerCompose, ['-f', join(ROOT, 'docker-compose.yml'), 'config', '-q'], { cwd: ROOT, stdio: 'pipe' }),
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

  it('sets TRUST_PROXY on the gateways to the network nginx is on', () => {
    const network = readYaml<any>('docker-compose.yml').networks.micronote.ipam.config[0].subnet;
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
