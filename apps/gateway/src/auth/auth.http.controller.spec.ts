import { authV1, userV1 } from '@micronote/proto';
import { AccessTokenVerifier, DEV_JWT_SECRET } from '@micronote/server-core';
import { ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { of } from 'rxjs';

import { configureGateway, gatewayFastifyOptions } from '../app.setup';
import { ApiExceptionFilter } from '../common/filters/api-exception.filter';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtStrategy } from '../common/guards/jwt.strategy';
import { AccountDataService } from '../users/account-data.service';
import { UsersHttpController } from '../users/users.http.controller';
import { AuthHttpController } from './auth.http.controller';

const settings: Record<string, unknown> = {
  JWT_SECRET: DEV_JWT_SECRET,
  JWT_ISSUER: 'micronote-auth',
  JWT_AUDIENCE: 'micronote-api',
  GRPC_DEADLINE_MS: 1_000,
};

/** The HTTP surface only: guards, validation and error shape; the gRPC services are stubs. */
describe(AuthHttpController.name, () => {
  let app: NestFastifyApplication;
  let token: string;
  const auth = { revokeSession: jest.fn(() => of({})), listSessions: jest.fn(() => of({ items: [] })) };
  const users = { getUser: jest.fn(() => of({ id: '1' })) };

  beforeAll(async () => {
    const jwt = new JwtService({
      secret: DEV_JWT_SECRET,
      signOptions: { algorithm: 'HS256', issuer: 'micronote-auth', audience: 'micronote-api' },
    });
    token = await jwt.signAsync({ sid: 's1', typ: 'access' }, { subject: '1', jwtid: 'j1', expiresIn: 60 });
    const moduleRef = await Test.createTestingModule({
      imports: [PassportModule],
      controllers: [AuthHttpController, UsersHttpController],
      providers: [
        { provide: ConfigService, useValue: { get: (key: string) => settings[key] } },
        { provide: authV1.MICRONOTE_AUTH_V1_PACKAGE_NAME, useValue: { getService: () => auth } },
        { provide: userV1.MICRONOTE_USER_V1_PACKAGE_NAME, useValue: { getService: () => users } },
        {
          provide: AccessTokenVerifier,
          useValue: {
            checkClaims: async (c: { sub: string; sid: string; jti: string; exp: number }) => ({
              userId: c.sub,
              sessionId: c.sid,
              jti: c.jti,
              exp: c.exp,
            }),
          },
        },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: AccountDataService, useValue: {} },
        GrpcCaller,
        JwtStrategy,
      ],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter({ bodyLimit: 1_048_576, ...gatewayFastifyOptions({}) }),
      {
        logger: false,
        bodyParser: false,
      },
    );
    configureGateway(app, { docs: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
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
