import { AccessTokenVerifier } from '@micronote/auth-session';
import { ReadCache } from '@micronote/events';
import { CACHE_REDIS, DEV_JWT_SECRET, REDIS, ServiceIdentity, serviceIdentityFromEnv } from '@micronote/server-core';
import type { Provider, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

import { configureGateway, gatewayFastifyOptions } from '../app.setup';
import { ApiExceptionFilter } from '../common/filters/api-exception.filter';
import { CircuitBreakers } from '../common/grpc/circuit-breakers';
import { GrpcCaller } from '../common/grpc/grpc-caller';
import { JwtStrategy } from '../common/guards/jwt.strategy';

const settings: Record<string, unknown> = {
  JWT_SECRET: DEV_JWT_SECRET,
  JWT_ISSUER: 'micronote-auth',
  JWT_AUDIENCE: 'micronote-api',
  GRPC_DEADLINE_MS: 1_000,
  GRPC_RETRIES: 0,
  BREAKER_ERROR_PERCENT: 50,
  BREAKER_MIN_CALLS: 1_000,
  BREAKER_RESET_MS: 1_000,
  // The edge cache is off here (it never touches Redis): every request reaches the stubbed service.
  READ_CACHE_TTL: 0,
  // Web Push on, with a public key only (what the gateway holds); endpoints must be public hosts.
  VAPID_PUBLIC_KEY: 'BKd0Fh9o8w7Gc1i8u6aLqXgW2oV3jzK9R4H7yN1mQeVt5pZc0sJ2lD8fA6bX3nE1kT9uY4rW7qH5gM2vC0xL8sI',
  PUSH_ALLOW_PRIVATE_ENDPOINTS: 'false',
};

/** A gRPC client stub for `ClientGrpc` injection: `getService()` returns `service`. */
export const grpcStub = (packageName: string, service: object): Provider => ({
  provide: packageName,
  useValue: { getService: () => service },
});

/**
 * Controllers on the gateway's real HTTP stack (Fastify options, pipes, error filter, JWT guard)
 * with stubbed gRPC services, for specs of the HTTP surface. The session check always passes;
 * `token(userId)` signs a valid access token.
 */
export async function createHttpTestApp(controllers: Type<unknown>[], providers: Provider[]) {
  const jwt = new JwtService({
    secret: DEV_JWT_SECRET,
    signOptions: { algorithm: 'HS256', issuer: 'micronote-auth', audience: 'micronote-api' },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [PassportModule],
    controllers,
    providers: [
      { provide: ConfigService, useValue: { get: (key: string) => settings[key] } },
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
      CircuitBreakers,
      GrpcCaller,
      { provide: ServiceIdentity, useValue: serviceIdentityFromEnv('gateway', { NODE_ENV: 'test', SERVICE_IDENTITY_TTL: 60 }) },
      ReadCache,
      { provide: REDIS, useValue: {} },
      { provide: CACHE_REDIS, useExisting: REDIS },
      JwtStrategy,
      ...providers,
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    new FastifyAdapter({ bodyLimit: 1_048_576, ...gatewayFastifyOptions({}) }),
    {
      logger: false,
      bodyParser: false,
    },
  );
  configureGateway(app, { docs: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const token = (userId: string) => jwt.signAsync({ sid: 's1', typ: 'access' }, { subject: userId, jwtid: 'j1', expiresIn: 60 });
  return { app, token };
}
