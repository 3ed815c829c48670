import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
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
  'networking.k8s.io/v1/Ingress': Ingress,
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

  it('configures every app: ConfigMap + Secret cover what its env classes need, gRPC URLs are dns:/// on the headless services', () => {
    const config = named('ConfigMap', 'micronote-config').data as Record<string, string>;
    const secret = named('Secret', 'micronote-secrets').stringData as Record<string, string>;
    const shared = { ...config, ...secret };
    for (const app of apps) {
      const main = named('Deployment', app.name).spec.template.spec.containers[0];
      expect(main.envFrom).toEqual([{ configMapRef: { name: 'micronote-config' } }, { secretRef: { name: 'micronote-secrets' } }]);
      const env = { ...shared, ...Object.fromEntries(main.env.map((e: { name: string; value: string }) => [e.name, e.value])) };
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
    expect(secret['JWT_SECRET'].length).toBeGreaterThanOrEqual(32);
  });

  it('routes the Ingress (TLS, long WebSocket timeouts) to the gateway Service', () => {
    const [ingress] = of('Ingress');
    expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
    expect(Number(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/proxy-body-size']).toBe('1m');
    const backends = ingress.spec.rules.flatMap((rule: any) => rule.http.paths.map((path: any) => path.backend.service));
    expect(backends).toEqual([{ name: 'gateway', port: { name: 'http' } }]);
    expect(named('Service', 'gateway').spec.ports.map((p: { name: string }) => p.name)).toContain('http');
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
    expect(objects.find((o) => o.kind === 'Ingress').spec.rules[0].host).toBe('micronote.example.org');
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
