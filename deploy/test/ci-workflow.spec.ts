import { readYaml } from './support';

/** .github/workflows/ci.yml: parses, and runs the affected Nx targets against MariaDB and Redis service containers. */
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<
    string,
    {
      'runs-on': string;
      container?: string;
      services?: Record<string, { image: string; env?: Record<string, string>; options?: string }>;
      env?: Record<string, string>;
      steps: { uses?: string; run?: string; with?: Record<string, unknown> }[];
    }
  >;
}

describe('.github/workflows/ci.yml', () => {
  const workflow = readYaml<Workflow>('.github/workflows/ci.yml');
  const [job, ...others] = Object.values(workflow.jobs);
  const runs = job.steps.map((step) => step.run ?? '').join('\n');

  it('runs on pushes and pull requests, in one job with Node 20', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(others).toEqual([]);
    expect(job.container).toMatch(/^node:20\b/);
  });

  it('has MariaDB 10.11 (root, empty password) and Redis 7 as service containers with health checks, and points the tests at them', () => {
    const { mariadb, redis } = job.services ?? {};
    expect(mariadb?.image).toBe('mariadb:10.11');
    expect(mariadb?.env?.['MARIADB_ALLOW_EMPTY_ROOT_PASSWORD']).toBeTruthy();
    expect(mariadb?.options).toMatch(/--health-cmd "healthcheck\.sh --connect/);
    expect(redis?.image).toBe('redis:7');
    expect(redis?.options).toMatch(/--health-cmd "redis-cli ping"/);
    expect(job.env?.['MYSQL_URL']).toBe('mysql://root@mariadb:3306');
    expect(job.env?.['REDIS_URL']).toBe('redis://redis:6379');
  });

  it('checks out the history, installs, sets the base with nrwl/nx-set-shas, then runs nx affected', () => {
    const uses = job.steps.map((step) => step.uses ?? '');
    const checkout = job.steps.find((step) => step.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    expect(runs).toMatch(/^npm (ci|install)\b/m);
    const setShas = uses.findIndex((use) => use.startsWith('nrwl/nx-set-shas@'));
    expect(setShas).toBeGreaterThan(0);
    const firstAffected = job.steps.findIndex((step) => step.run?.includes('nx affected'));
    expect(firstAffected).toBeGreaterThan(setShas);
  });

  it('runs lint, typecheck, test and build affected, then test:integration and e2e one at a time, and the proto check', () => {
    const affected = runs
      .split('\n')
      .filter((line) => line.includes('npx nx affected -t '))
      .map((line) => ({
        targets: (/-t ((?:[a-z][\w:-]* ?)+)/.exec(line)?.[1] ?? '').trim().split(' '),
        serial: line.includes('--parallel=1'),
        line,
      }));
    const all = affected.flatMap((run) => run.targets);
    expect(all).toEqual(expect.arrayContaining(['lint', 'typecheck', 'test', 'build', 'test:integration', 'e2e']));
    for (const { targets, serial, line } of affected) {
      expect({ line, serial }).toEqual({ line, serial: targets.includes('e2e') || targets.includes('test:integration') });
      expect(line).toContain('--base="$NX_BASE" --head="$NX_HEAD"');
    }
    expect(runs).toContain('nx run proto:check');
  });

  it('installs Debian chromium for web-e2e', () => {
    expect(runs).toMatch(/apt-get install[^&;|]*\bchromium\b/);
  });
});
