import { api, GATEWAY_URL, register } from './support/api';

describe('operations surface', () => {
  it('answers liveness and readiness', async () => {
    expect((await api('GET', '/health')).body).toEqual({ status: 'ok' });
    const ready = await api('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: {
        redis: { status: 'up' },
        'auth-service': { status: 'up' },
        'notes-service': { status: 'up' },
        'todos-service': { status: 'up' },
        'user-service': { status: 'up' },
      },
    });
  });

  it('serves Prometheus metrics outside /api', async () => {
    const response = await fetch(`${GATEWAY_URL}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI document', async () => {
    const doc = await api('GET', '/api/docs/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys((doc.body as { paths: object }).paths)).toEqual(
      expect.arrayContaining(['/api/auth/register', '/api/auth/login', '/api/users/me', '/api/auth/sessions/{id}']),
    );
  });
});

describe('the web app at /', () => {
  const page = (path: string) => fetch(`${GATEWAY_URL}${path}`, { headers: { accept: 'text/html' } });

  it('serves index.html at / and for client-side routes, never cached', async () => {
    for (const path of ['/', '/notes/123', '/todos?filter=active']) {
      const response = await page(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a long cache, and keeps /api answers JSON', async () => {
    const html = await (await page('/')).text();
    const asset = /(?:src|href)="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const response = await fetch(`${GATEWAY_URL}${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const api = await page('/api/not-a-route');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
  });
});

describe('security headers', () => {
  it('sends nosniff, framing protection and a CSP on /api answers', async () => {
    const { accessToken } = await register();
    const notes = await api('GET', '/api/notes', { token: accessToken });
    expect(notes.status).toBe(200);
    expect(notes.headers.get('x-content-type-options')).toBe('nosniff');
    expect(notes.headers.get('x-frame-options') ?? notes.headers.get('content-security-policy')).toMatch(/SAMEORIGIN|DENY|frame-ancestors 'none'/);
    expect(notes.headers.get('referrer-policy')).toBe('no-referrer');
    const unauthorized = await api('GET', '/api/notes');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('gives the SPA at / a strict CSP: scripts only from this origin', async () => {
    const response = await fetch(`${GATEWAY_URL}/`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });

  it('keeps the Swagger UI at /api/docs working, with a relaxed CSP there only', async () => {
    const response = await fetch(`${GATEWAY_URL}/api/docs`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('swagger-ui');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self' 'unsafe-inline'");
    const assets = [...html.matchAll(/(?:src|href)=['"]([^'"]+\.(?:js|css))['"]/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      const loaded = await fetch(new URL(asset, `${GATEWAY_URL}/api/docs`));
      expect({ asset, status: loaded.status }).toEqual({ asset, status: 200 });
    }
  });
});
