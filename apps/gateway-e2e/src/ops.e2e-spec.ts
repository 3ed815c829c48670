import { api, GATEWAY_URL } from './support/api';

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
