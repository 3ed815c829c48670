import { authV1, userV1 } from '@micronote/proto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { of } from 'rxjs';

import { createHttpTestApp, grpcStub } from '../testing/http-test-app';
import { AccountDataService } from '../users/account-data.service';
import { AppImportService } from '../users/imports/app-import.service';
import { UsersHttpController } from '../users/users.http.controller';
import { AuthHttpController } from './auth.http.controller';

/** The HTTP surface only: guards, validation and error shape; the gRPC services are stubs. */
describe(AuthHttpController.name, () => {
  let app: NestFastifyApplication;
  let token: string;
  const auth = { revokeSession: jest.fn(() => of({})), listSessions: jest.fn(() => of({ items: [] })) };
  const users = { getUser: jest.fn(() => of({ id: '1' })) };

  beforeAll(async () => {
    let sign: (userId: string) => Promise<string>;
    ({ app, token: sign } = await createHttpTestApp(
      [AuthHttpController, UsersHttpController],
      [
        grpcStub(authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME, auth),
        grpcStub(userV1.MICRONOTE_USER_V1_PACKAGE_NAME, users),
        { provide: AccountDataService, useValue: {} },
        { provide: AppImportService, useValue: {} },
      ],
    ));
    token = await sign('1');
  });

  afterAll(() => app.close());

  it.each([
    ['GET', '/api/auth/me'],
    ['GET', '/api/auth/sessions'],
    ['DELETE', '/api/auth/sessions/5b8c0f3e-4a8e-4f5e-9a55-0c1e6d1f2a3b'],
    ['POST', '/api/auth/logout'],
    ['GET', '/api/users/me'],
    ['PATCH', '/api/users/me'],
    ['POST', '/api/users/me/password'],
    ['DELETE', '/api/users/me'],
  ])('%s %s requires a token', async (method, url) => {
    const response = await app.inject({ method: method as 'GET', url });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'TOKEN_INVALID' });
  });

  it('accepts a valid token', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(users.getUser).toHaveBeenCalledWith({ userId: '1' }, expect.anything(), expect.objectContaining({ deadline: expect.any(Date) }));
  });

  it('answers 400 for a session id that is not a UUID, without calling auth-service', async () => {
    const response = await app.inject({
      method: 'DELETE',
      url: '/api/auth/sessions/12;drop',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(400);
    expect(auth.revokeSession).not.toHaveBeenCalled();
  });

  it('passes the session id and the caller on to auth-service', async () => {
    const id = '5b8c0f3e-4a8e-4f5e-9a55-0c1e6d1f2a3b';
    const response = await app.inject({ method: 'DELETE', url: `/api/auth/sessions/${id}`, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(204);
    expect(auth.revokeSession).toHaveBeenCalledWith({ userId: '1', sessionId: id }, expect.anything(), expect.anything());
  });

  it.each([
    ['malformed JSON', 'application/json', '{"login":', 400],
    ['text', 'text/plain', 'hello', 415],
    ['a form', 'application/x-www-form-urlencoded', 'login=a', 415],
    ['a body over 1 MiB', 'application/json', JSON.stringify({ login: 'x'.repeat(1_048_577) }), 413],
  ])('answers %s with %s in the error shape', async (_, contentType, payload, status) => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': contentType }, payload });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({
      statusCode: status,
      error: expect.any(String),
      message: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it('answers 400 with the messages for an invalid body', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { name: '', email: 'x', role: 'admin' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.arrayContaining(['property role should not exist']),
    });
  });
});
