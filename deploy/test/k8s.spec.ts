import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';

import { appsList, envSpec, parseDocuments, read, ROOT, which } from './support';

/**
 * deploy/k8s, validated without a cluster: `kubectl kustomize` renders the base and the production overlay
 * (kubectl ships kustomize), every object is checked against the Kubernetes schema (kubernetes-models), and
 * the assertions below check that the pieces fit together.
 */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

const kubectl = which('kubectl', ['/usr/bin/kubectl', '/usr/local/bin/kubectl']);
const apps = appsList();

function render(dir: string): any[] {
  return parseDocuments(
    execFileSync(kubectl as string, ['kustomize', join(ROOT, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** A container's env: plain values as they are, secretKeyRef entries as `secret:<key>` (of micronote-secrets only). */
function resolvedEnv(env: { name: string; value?: string; valueFrom?: any }[] = []): Record<string, string> {
  return Object.fromEntries(
    env.map((entry) => {
      if (entry.valueFrom) {
        const ref = entry.valueFrom.secretKeyRef;
        if (ref?.name !== 'micronote-secrets' || Object.keys(entry.valueFrom).length !== 1)
          throw new Error(`unexpected valueFrom of ${entry.name}`);
        return [entry.name, `secret:${ref.key}`];
      }
      return [entry.name, entry.value ?? ''];
    }),
  );
}

const JWT_APPS = ['gateway', 'auth-service'];
const CACHE_APPS = ['gateway', 'notes-service', 'todos-service'];
/** The gRPC callers and the Secret key of each one's own identity key. */
const IDENTITY_CALLERS: Record<string, string> = {
  gateway: 'GATEWAY_SERVICE_IDENTITY_KEY',
  'auth-service': 'AUTH_SERVICE_IDENTITY_KEY',
  'user-service': 'USER_SERVICE_IDENTITY_KEY',
};

/**
 * Every connection the network policies allow, `[from, to, port]`, parties as `<namespace>/<app.kubernetes.io/name>`
 * (`micronote/*`: every pod of the namespace). Nothing else may be open.
 */
const PROMETHEUS = 'monitoring/prometheus';
const OTEL = 'observability/otel-collector';
const ALLOWED: [string, string, string][] = [
  ['micronote/*', 'kube-system/kube-dns', '53/UDP'],
  ['micronote/*', 'kube-system/kube-dns', '53/TCP'],
  ['ingress-nginx/ingress-nginx', 'micronote/gateway', '8080/TCP'],
  ['micronote/gateway', 'micronote/auth-service', '50001/TCP'],
  ['micronote/gateway', 'micronote/notes-service', '50002/TCP'],
  ['micronote/gateway', 'micronote/todos-service', '50003/TCP'],
  ['micronote/gateway', 'micronote/user-service', '50004/TCP'],
  ['micronote/auth-service', 'micronote/user-service', '50004/TCP'],
  ['micronote/user-service', 'micronote/notes-service', '50002/TCP'],
  ['micronote/user-service', 'micronote/todos-service', '50003/TCP'],
  ...['gateway', 'auth-service', 'user-service', 'notes-service', 'todos-service'].map(
    (app) => [`micronote/${app}`, 'micronote/redis', '6379/TCP'] as [string, string, string],
  ),
  ...CACHE_APPS.map((app) => [`micronote/${app}`, 'micronote/redis-cache', '6379/TCP'] as [string, string, string]),
  ...['notes-service', 'todos-service', 'user-service', 'mysql-users'].map(
    (app) => [`micronote/${app}`, 'micronote/mysql', '3306/TCP'] as [string, string, string],
  ),
  ...[
    ['gateway', 8080],
    ['auth-service', 3001],
    ['notes-service', 3002],
    ['todos-service', 3003],
    ['user-service', 3004],
  ].map(([app, port]) => [PROMETHEUS, `micronote/${app}`, `${port}/TCP`] as [string, string, string]),
  ...['gateway', 'auth-service', 'user-service', 'notes-service', 'todos-service'].map(
    (app) => [`micronote/${app}`, OTEL, '4318/TCP'] as [string, string, string],
  ),
];
const pairName = ([from, to, port]: [string, string, string]) => `${from} -> ${to}:${port}`;

/** A pod selector as one party name; only `matchLabels` with one name label is accepted (anything wider fails). */
function party(selector: any, namespace: string): string {
  if (!selector || selector.matchExpressions) throw new Error(`unsupported selector ${JSON.stringify(selector)}`);
  const labels = Object.entries(selector.matchLabels ?? {});
  if (labels.length === 0) return `${namespace}/*`;
  if (labels.length !== 1 || !['app.kubernetes.io/name', 'k8s-app'].includes(labels[0][0]))
    throw new Error(`unsupported selector ${JSON.stringify(selector)}`);
  return `${namespace}/${labels[0][1]}`;
}

function peer(entry: any, namespace: string): string {
  if (entry.ipBlock || !entry.podSelector) throw new Error(`peer without a pod selector (or an ipBlock): ${JSON.stringify(entry)}`);
  let peerNamespace = namespace;
  if (entry.namespaceSelector) {
    const labels = entry.namespaceSelector.matchLabels ?? {};
    if (Object.keys(labels).length !== 1 || !labels['kubernetes.io/metadata.name'] || entry.namespaceSelector.matchExpressions)
      throw new Error(`namespace selector must name one namespace: ${JSON.stringify(entry.namespaceSelector)}`);
    peerNamespace = labels['kubernetes.io/metadata.name'];
  }
  const selected = party(entry.podSelector, peerNamespace);
  if (selected.endsWith('/*')) throw new Error(`peer selects every pod of ${peerNamespace}`);
  return selected;
}

/** The pairs the policies open, as NetworkPolicy semantics define them: every peer × every port of a rule. */
function allowedPairs(policies: any[]): { ingress: string[]; egress: string[] } {
  const ingress = new Set<string>();
  const egress = new Set<string>();
  for (const policy of policies) {
    const namespace = policy.metadata.namespace;
    const selected = party(policy.spec.podSelector, namespace);
    for (const [direction, rules, peersKey] of [
      ['Ingress', policy.spec.ingress ?? [], 'from'],
      ['Egress', policy.spec.egress ?? [], 'to'],
    ] as const) {
      if (rules.length > 0) expect(policy.spec.policyTypes).toContain(direction);
      for (const rule of rules) {
        // An empty `from`/`to` means every peer, no `ports` every port: both would open far more than a pair.
        if (!rule[peersKey]?.length || !rule.ports?.length) throw new Error(`${policy.metadata.name}: a rule without peers or ports`);
        for (const entry of rule[peersKey]) {
          for (const port of rule.ports) {
            if (typeof port.port !== 'number' || port.endPort) throw new Error(`${policy.metadata.name}: ports must be single numbers`);
            const other = peer(entry, namespace);
            const target = `${port.port}/${port.protocol ?? 'TCP'}`;
            if (direction === 'Ingress') ingress.add(`${other} -> ${selected}:${target}`);
            else egress.add(`${selected} -> ${other}:${target}`);
          }
        }
      }
    }
  }
  return { ingress: [...ingress].sort(), egress: [...egress].sort() };
}

/**
 * Which Ingress path answers a request path, as ingress controllers match (Exact first, then the longest
 * Prefix whose path elements all match), across every Ingress of the host.
 */
function route(ingresses: any[], path: string): string {
  const candidates = ingresses.flatMap((ingress) =>
    ingress.spec.rules.flatMap((rule: any) => rule.http.paths.map((p: any) => ({ ingress: ingress.metadata.name, ...p }))),
  );
  const elements = (p: string) => p.split('/').filter(Boolean);
  const matching = candidates.filter((c) => {
    if (c.pathType === 'Exact') return c.path === path;
    if (c.pathType !== 'Prefix') throw new Error(`pathType ${c.pathType} is not checked here`);
    const prefix = elements(c.path);
    return prefix.every((element, i) => elements(path)[i] === element);
  });
  matching.sort(
    (a, b) => Number(b.pathType === 'Exact') - Number(a.pathType === 'Exact') || elements(b.path).length - elements(a.path).length,
  );
  const best = matching[0];
  if (!best) return 'no route';
  const service = best.backend.service;
  return service.name === 'gateway' ? `${best.ingress} → gateway:${service.port.name}` : `${best.ingress} → denied`;
}

// Without kubectl (install Debian's kubernetes-client) the rendering cannot be checked: say so and skip.
const describeWithKubectl = kubectl ? describe : describe.skip;
if (!kubectl) console.warn('kubectl not found (apt-get install kubernetes-client): skipping the deploy/k8s checks');

describeWithKubectl.each(['deploy/k8s/base', 'deploy/k8s/overlays/production'])('%s', (dir) => {
  const objects = render(dir);
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const named = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  it('renders only objects that pass schema validation, all in the micronote namespace', () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect({ kind: `${object.apiVersion}/${object.kind}`, known: Boolean(Model) }).toEqual({
        kind: `${object.apiVersion}/${object.kind}`,
        known: true,
      });
      expect(() => new Model(object).validate()).not.toThrow();
      if (object.kind !== 'Namespace') expect(object.metadata.namespace).toBe('micronote');
    }
  });

  it('runs each app as a Deployment with probes, resources, a non-root security context, and an HPA + PDB', () => {
    for (const app of apps) {
      const deployment = named('Deployment', app.name);
      expect({ app: app.name, deployment: Boolean(deployment) }).toEqual({ app: app.name, deployment: true });
      const pod = deployment.spec.template;
      expect(matches(deployment.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
      expect(pod.spec.securityContext.runAsNonRoot).toBe(true);
      const containers = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
      for (const container of containers) {
        expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.resources.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      }
      const [main] = pod.spec.containers;
      const port = (name: string) => main.ports.find((p: { name: string }) => p.name === name)?.containerPort;
      expect(port('http')).toBe(app.httpPort);
      const env = Object.fromEntries(main.env.map((e: { name: string; value: string }) => [e.name, e.value]));
      expect(env['HTTP_PORT']).toBe(String(app.httpPort));
      if (app.grpcPort) {
        expect(port('grpc')).toBe(app.grpcPort);
        expect(env['GRPC_PORT']).toBe(String(app.grpcPort));
        // gRPC health (grpc.health.v1) decides readiness of a service; liveness is its HTTP /health.
        expect(main.readinessProbe).toMatchObject({ grpc: { port: app.grpcPort } });
        expect(main.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' } });
      } else {
        expect(main.readinessProbe).toMatchObject({ httpGet: { path: '/health/ready', port: 'http' } });
        expect(main.livenessProbe).toMatchObject({ httpGet: { path: '/health', port: 'http' } });
      }
      if (app.dbName) {
        expect(env['DB_NAME']).toBe(app.dbName);
        expect(pod.spec.initContainers).toEqual([
          expect.objectContaining({ image: main.image, command: ['node', 'main.js', 'migrate'], env: main.env }),
        ]);
      } else {
        expect(pod.spec.initContainers).toBeUndefined();
      }

      const hpa = named('HorizontalPodAutoscaler', app.name);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app.name });
      expect(hpa.spec.minReplicas).toBe(deployment.spec.replicas);
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
      const pdb = named('PodDisruptionBudget', app.name);
      expect(matches(pdb.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
      expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    }
  });

  it('exposes gRPC services headless (per-pod balancing) and the gateway as ClusterIP, on the pods’ ports', () => {
    for (const app of apps) {
      const service = named('Service', app.name);
      const pod = named('Deployment', app.name).spec.template;
      expect(matches(service.spec.selector, pod.metadata.labels)).toBe(true);
      const containerPorts = pod.spec.containers[0].ports.map((p: { name: string }) => p.name);
      for (const port of service.spec.ports) expect(containerPorts).toContain(port.targetPort);
      if (app.grpcPort) {
        expect(service.spec.clusterIP).toBe('None');
        expect(service.spec.ports).toContainEqual(expect.objectContaining({ name: 'grpc', port: app.grpcPort }));
      } else {
        expect(service.spec.type).toBe('ClusterIP');
        expect(service.spec.clusterIP).toBeUndefined();
      }
    }
  });

  it('configures every app: ConfigMap + its own Secret keys cover what its env classes need, gRPC URLs are dns:/// on the headless services', () => {
    const config = named('ConfigMap', 'micronote-config').data as Record<string, string>;
    for (const app of apps) {
      const main = named('Deployment', app.name).spec.template.spec.containers[0];
      expect(main.envFrom).toEqual([{ configMapRef: { name: 'micronote-config' } }]);
      const env = { ...config, ...resolvedEnv(main.env) };
      const spec = envSpec(app.name);
      for (const variable of [...spec.required, ...[...spec.declared].filter((v) => v.endsWith('_URL'))]) {
        expect({ app: app.name, variable, set: variable in env }).toEqual({ app: app.name, variable, set: true });
      }
    }
    for (const target of apps.filter((a) => a.grpcPort)) {
      expect(config[`GRPC_${target.key}_URL`]).toBe(`dns:///${target.name}:${target.grpcPort}`);
    }
    expect(config['NODE_ENV']).toBe('production');
    expect(config['TRUST_PROXY']).toBeTruthy();
  });

  /** Web Push: user-service signs with the VAPID pair, the gateway hands out the public key. */
  const VAPID_SECRETS: Record<string, Record<string, string>> = {
    'user-service': { VAPID_PUBLIC_KEY: 'secret:VAPID_PUBLIC_KEY', VAPID_PRIVATE_KEY: 'secret:VAPID_PRIVATE_KEY' },
    gateway: { VAPID_PUBLIC_KEY: 'secret:VAPID_PUBLIC_KEY' },
  };

  it('ships no Secret value: every secret is a secretKeyRef into micronote-secrets, each app gets only its own', () => {
    expect(of('Secret')).toEqual([]);
    for (const object of objects) expect(JSON.stringify(object)).not.toMatch(/change-me|stringData/);
    const config = named('ConfigMap', 'micronote-config').data as Record<string, string>;
    for (const app of apps) {
      const pod = named('Deployment', app.name).spec.template.spec;
      for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(container.envFrom).toEqual([{ configMapRef: { name: 'micronote-config' } }]);
        const env = resolvedEnv(container.env);
        const fromSecret = Object.fromEntries(Object.entries(env).filter(([, value]) => value.startsWith('secret:')));
        const expected: Record<string, string> = {
          SERVICE_IDENTITY_PEERS: 'secret:SERVICE_IDENTITY_PEERS',
          REDIS_PASSWORD: 'secret:REDIS_PASSWORD',
          ...(JWT_APPS.includes(app.name) && { JWT_SECRET: 'secret:JWT_SECRET' }),
          ...(IDENTITY_CALLERS[app.name] && { SERVICE_IDENTITY_KEY: `secret:${IDENTITY_CALLERS[app.name]}` }),
          ...(CACHE_APPS.includes(app.name) && { READ_CACHE_REDIS_PASSWORD: 'secret:READ_CACHE_REDIS_PASSWORD' }),
          ...(app.dbName && { MYSQL_PASSWORD: `secret:${app.key === 'USER' ? 'USERS' : app.key}_MYSQL_PASSWORD` }),
          ...VAPID_SECRETS[app.name],
        };
        expect({ app: app.name, fromSecret }).toEqual({ app: app.name, fromSecret: expected });
        // The URLs carry the passwords: redis://:PASSWORD@host, mysql://<own user>:PASSWORD@host (never root).
        expect(env['REDIS_URL']).toBe('redis://:$(REDIS_PASSWORD)@$(REDIS_ADDRESS)');
        expect(config['REDIS_ADDRESS']).toBe('redis:6379');
        if (CACHE_APPS.includes(app.name)) {
          expect(env['READ_CACHE_REDIS_URL']).toBe('redis://:$(READ_CACHE_REDIS_PASSWORD)@$(READ_CACHE_REDIS_ADDRESS)');
          expect(config['READ_CACHE_REDIS_ADDRESS']).toBe('redis-cache:6379');
        } else expect(env['READ_CACHE_REDIS_URL']).toBeUndefined();
        if (app.dbName) expect(env['MYSQL_URL']).toBe(`mysql://${app.dbName}:$(MYSQL_PASSWORD)@$(MYSQL_ADDRESS)`);
        else expect(env['MYSQL_URL']).toBeUndefined();
        // $(VAR) references only name variables defined before them (Kubernetes expands nothing else).
        const names = Object.keys(config);
        for (const entry of container.env as { name: string; value?: string }[]) {
          for (const [, ref] of (entry.value ?? '').matchAll(/\$\((\w+)\)/g))
            expect({ entry: entry.name, ref, defined: names.includes(ref) }).toEqual({ entry: entry.name, ref, defined: true });
          names.push(entry.name);
        }
      }
    }
    expect(config['MYSQL_ADDRESS']).toBe('mysql:3306');
  });

  it('runs every app bound to 0.0.0.0 in production mode, without gRPC reflection or API docs', () => {
    const config = named('ConfigMap', 'micronote-config').data as Record<string, string>;
    for (const app of apps) {
      const env = { ...config, ...resolvedEnv(named('Deployment', app.name).spec.template.spec.containers[0].env) };
      expect({ app: app.name, HOST: env['HOST'], NODE_ENV: env['NODE_ENV'] }).toEqual({
        app: app.name,
        HOST: '0.0.0.0',
        NODE_ENV: 'production',
      });
      expect({ app: app.name, reflection: env['GRPC_REFLECTION'] ?? 'false', docs: env['API_DOCS'] ?? 'false' }).toEqual({
        app: app.name,
        reflection: 'false',
        docs: 'false',
      });
    }
  });

  it('creates the per-service MySQL users with a Job running the one script, from the admin Secret', () => {
    const job = named('Job', 'mysql-users');
    const pod = job.spec.template.spec;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const [container] = pod.containers;
    expect(container.command).toEqual(['sh', '/scripts/create-users.sh']);
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'micronote-config' } }, { secretRef: { name: 'micronote-mysql-admin' } }]);
    expect(resolvedEnv(container.env)).toEqual({
      MYSQL_ADMIN_HOST: '$(MYSQL_ADDRESS)',
      NOTES_MYSQL_PASSWORD: 'secret:NOTES_MYSQL_PASSWORD',
      TODOS_MYSQL_PASSWORD: 'secret:TODOS_MYSQL_PASSWORD',
      USERS_MYSQL_PASSWORD: 'secret:USERS_MYSQL_PASSWORD',
    });
    const script = of('ConfigMap').find((c) => c.metadata.name === pod.volumes[0].configMap.name);
    expect(script.data['create-users.sh']).toBe(read('deploy/k8s/base/mysql/create-users.sh'));
  });

  it('denies all traffic by default and allows exactly the listed pairs', () => {
    const policies = of('NetworkPolicy');
    for (const namespace of of('Namespace').map((n) => n.metadata.name)) {
      const denyAll = policies.filter(
        (p) =>
          p.metadata.namespace === namespace &&
          Object.keys(p.spec.podSelector).length === 0 &&
          [...p.spec.policyTypes].sort().join() === 'Egress,Ingress' &&
          !p.spec.ingress &&
          !p.spec.egress,
      );
      expect({ namespace, defaultDeny: denyAll.length }).toEqual({ namespace, defaultDeny: 1 });
    }
    const { ingress, egress } = allowedPairs(policies);
    const inside = (party: string) => party.startsWith('micronote/');
    expect(egress).toEqual(
      ALLOWED.filter(([from]) => inside(from))
        .map(pairName)
        .sort(),
    );
    expect(ingress).toEqual(
      ALLOWED.filter(([, to]) => inside(to))
        .map(pairName)
        .sort(),
    );
  });

  it('routes /api, /socket.io and the SPA to the gateway; /metrics, /health and /api/docs never reach it', () => {
    const ingresses = of('Ingress');
    const hosts = new Set(ingresses.flatMap((i) => i.spec.rules.map((r: { host: string }) => r.host)));
    expect(hosts.size).toBe(1);
    for (const ingress of ingresses) expect(ingress.spec.tls[0].hosts).toEqual([...hosts]);
    const published = [
      '/',
      '/index.html',
      '/assets/index-abc.js',
      '/favicon.svg',
      '/notes/42',
      '/todos',
      '/login',
      '/api/notes',
      '/api/auth/login',
      '/socket.io/',
    ];
    const hidden = [
      '/metrics',
      '/health',
      '/health/ready',
      '/api/docs',
      '/api/docs/',
      '/api/docs/openapi.json',
      '/api/docs/static/index.html',
    ];
    for (const path of published) expect({ path, route: route(ingresses, path) }).toEqual({ path, route: 'micronote → gateway:http' });
    for (const path of hidden) expect({ path, route: route(ingresses, path) }).toEqual({ path, route: 'micronote-internal → denied' });
    const internal = ingresses.find((i) => i.metadata.name === 'micronote-internal');
    expect(internal.metadata.annotations['nginx.ingress.kubernetes.io/denylist-source-range']).toBe('0.0.0.0/0,::/0');
    expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'not-published')).toBeUndefined();
  });

  it('routes the Ingress (TLS, long WebSocket timeouts) to the gateway Service', () => {
    const ingress = named('Ingress', 'micronote');
    expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
    expect(Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('1m');
    const backends = ingress.spec.rules.flatMap((rule: any) => rule.http.paths.map((path: any) => path.backend.service));
    expect(new Set(backends.map((backend: unknown) => JSON.stringify(backend)))).toEqual(
      new Set([JSON.stringify({ name: 'gateway', port: { name: 'http' } })]),
    );
    expect(named('Service', 'gateway').spec.ports.map((p: { name: string }) => p.name)).toContain('http');
  });

  it('lets only the file import through with 50m bodies, to the gateway', () => {
    const ingresses = of('Ingress');
    // ingress-nginx's default body limit is 1m too.
    const large = ingresses.filter((i) => (i.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'] ?? '1m') !== '1m');
    expect(large.map((i) => i.metadata.name)).toEqual(['micronote-import']);
    const importIngress = named('Ingress', 'micronote-import');
    expect(importIngress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('50m');
    expect(importIngress.spec.rules.flatMap((rule: any) => rule.http.paths)).toEqual([
      { path: '/api/users/me/import', pathType: 'Exact', backend: { service: { name: 'gateway', port: { name: 'http' } } } },
    ]);
    expect(route(ingresses, '/api/users/me/import')).toBe('micronote-import → gateway:http');
    expect(route(ingresses, '/api/users/me/import/x')).toBe('micronote → gateway:http');
  });
});

describeWithKubectl('the production overlay', () => {
  const objects = render('deploy/k8s/overlays/production');
  const deployments = objects.filter((o) => o.kind === 'Deployment');

  it('pins image tags of a registry, runs more replicas, and sets the real host', () => {
    for (const deployment of deployments) {
      for (const container of [...(deployment.spec.template.spec.initContainers ?? []), ...deployment.spec.template.spec.containers]) {
        expect(container.image).toMatch(/^registry\.example\.com\/micronote\/[\w-]+:\d+\.\d+\.\d+$/);
      }
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    }
    expect(deployments.find((d) => d.metadata.name === 'gateway').spec.replicas).toBe(3);
    for (const ingress of objects.filter((o) => o.kind === 'Ingress')) expect(ingress.spec.rules[0].host).toBe('micronote.example.org');
  });
});

describe('deploy/k8s files', () => {
  it('lists every file of the base in its kustomization', () => {
    const kustomization = read('deploy/k8s/base/kustomization.yaml');
    const files = readdirSync(join(ROOT, 'deploy/k8s/base')).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    for (const file of files) expect(kustomization).toContain(`  - ${file}`);
  });

  it('the schema validation catches a broken object', () => {
    const deployment = parseDocuments(read('deploy/k8s/base/gateway.yaml')).find((o) => o.kind === 'Deployment');
    expect(() => new Deployment(deployment).validate()).not.toThrow();
    expect(() => new Deployment({ ...deployment, spec: { ...deployment.spec, replicas: 'three' } }).validate()).toThrow();
    expect(() => new Deployment({ ...deployment, spec: { ...deployment.spec, selector: undefined } }).validate()).toThrow();
  });
});
