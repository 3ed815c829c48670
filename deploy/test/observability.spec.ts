import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CONTRACT_METRICS, isKnownMetric, metricsIn, read, readYaml, ROOT, which } from './support';

/** deploy/prometheus/alerts.yml and deploy/grafana: only metrics of the contract, the alerts the runbook names. */
interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string };
}

describe('deploy/prometheus/alerts.yml', () => {
  const rules = readYaml<{ groups: { name: string; rules: Rule[] }[] }>('deploy/prometheus/alerts.yml').groups.flatMap(
    (group) => group.rules,
  );
  const byName = (name: string) => rules.find((rule) => rule.alert === name);

  it('has well-formed rules: a name, an expression on known metrics, a duration, a severity and a summary', () => {
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const rule of rules) {
      expect(rule).toEqual(
        expect.objectContaining({
          alert: expect.stringMatching(/^MicroNote[A-Z]\w+$/),
          expr: expect.any(String),
          for: expect.stringMatching(/^\d+[smh]$/),
          labels: expect.objectContaining({ severity: expect.stringMatching(/^(page|warn)$/) }),
          annotations: expect.objectContaining({ summary: expect.any(String) }),
        }),
      );
      const metrics = metricsIn(rule.expr);
      expect(metrics.length).toBeGreaterThan(0);
      for (const metric of metrics)
        expect({ alert: rule.alert, metric, known: isKnownMetric(metric) }).toEqual({ alert: rule.alert, metric, known: true });
    }
    expect(new Set(rules.map((rule) => rule.alert)).size).toBe(rules.length);
  });

  it('alerts on 5xx rate, p99 latency, an open breaker and readiness (README "Operating MicroNote" explains each)', () => {
    expect(byName('MicroNoteHigh5xxRate')?.expr).toMatch(/micronote_http_request_duration_seconds_count\{status_code=~"5\.\."\}/);
    expect(byName('MicroNoteHighP99Latency')?.expr).toMatch(/histogram_quantile\(0\.99, .*micronote_http_request_duration_seconds_bucket/);
    expect(byName('MicroNoteCircuitBreakerOpen')?.expr).toBe('micronote_circuit_breaker_state == 2');
    expect(byName('MicroNoteNotReady')?.expr).toBe('micronote_ready == 0');
    expect(byName('MicroNoteTargetDown')?.expr).toMatch(/^up\{.*\} == 0$/);
    const readme = read('README.md');
    for (const rule of rules)
      expect({ alert: rule.alert, documented: readme.includes(rule.alert) }).toEqual({ alert: rule.alert, documented: true });
  });

  const promtool = which('promtool', ['/usr/bin/promtool']);
  (promtool ? it : it.skip)('passes promtool check rules, and prometheus.yml passes promtool check config', () => {
    const check = (...args: string[]) => execFileSync(promtool as string, ['check', ...args], { stdio: 'pipe' });
    expect(() => check('rules', join(ROOT, 'deploy/prometheus/alerts.yml'))).not.toThrow();
    // The config names the rules by their path in the container: check a copy pointing at the repo's file.
    const dir = mkdtempSync(join(tmpdir(), 'micronote-prometheus-'));
    try {
      const config = read('deploy/prometheus/prometheus.yml').replace(
        '/etc/prometheus/alerts.yml',
        join(ROOT, 'deploy/prometheus/alerts.yml'),
      );
      writeFileSync(join(dir, 'prometheus.yml'), config);
      expect(() => check('config', join(dir, 'prometheus.yml'))).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/grafana', () => {
  const dashboard = JSON.parse(read('deploy/grafana/dashboards/micronote.json')) as {
    uid: string;
    panels: { type: string; title: string; datasource?: { uid: string }; targets?: { expr: string }[] }[];
  };
  const queryPanels = dashboard.panels.filter((panel) => panel.type !== 'row');
  const exprs = queryPanels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

  it('queries only metrics of the contract, through the provisioned Prometheus datasource', () => {
    const datasources = readYaml<{ datasources: { uid: string; url: string }[] }>(
      'deploy/grafana/provisioning/datasources/prometheus.yml',
    ).datasources;
    for (const panel of queryPanels) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      expect(panel.datasource?.uid).toBe(datasources[0].uid);
      for (const target of panel.targets ?? []) {
        const metrics = metricsIn(target.expr);
        expect(metrics.length).toBeGreaterThan(0);
        for (const metric of metrics)
          expect({ panel: panel.title, metric, known: isKnownMetric(metric) }).toEqual({ panel: panel.title, metric, known: true });
      }
    }
    expect(datasources[0].url).toBe('http://prometheus:9090');
  });

  it('shows RED per service, realtime relay latency, sockets, breaker state, cache hit ratio and the DB pool', () => {
    const used = new Set(exprs.flatMap(metricsIn));
    for (const metric of [...CONTRACT_METRICS.histograms, ...CONTRACT_METRICS.others])
      expect({ metric, shown: used.has(metric) }).toEqual({ metric, shown: true });
    expect(exprs.some((expr) => /sum by \(app\) \(rate\(micronote_http_request_duration_seconds_count/.test(expr))).toBe(true);
    expect(exprs.some((expr) => /status_code=~"5\.\."/.test(expr))).toBe(true);
    expect(exprs.some((expr) => /histogram_quantile\(0\.99, .*micronote_realtime_relay_seconds_bucket/.test(expr))).toBe(true);
  });

  it('is provisioned from the folder compose mounts', () => {
    const provider = readYaml<{ providers: { options: { path: string } }[] }>('deploy/grafana/provisioning/dashboards/micronote.yml')
      .providers[0];
    expect(provider.options.path).toBe('/var/lib/grafana/dashboards');
    expect(read('docker-compose.yml')).toContain('./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro');
  });
});
