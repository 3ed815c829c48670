import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

import type { CallerName, GrpcTls, ServiceIdentity, ServiceName } from '@micronote/server-core';
import { createRedisClient, grpcClientOptions, serviceIdentityFromEnv } from '@micronote/server-core';
import type { ClientGrpcProxy } from '@nestjs/microservices';
import { ClientProxyFactory } from '@nestjs/microservices';
import { createConnection } from 'mysql2/promise';

export const TEST_MYSQL_URL = process.env['MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306';
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A random suffix so parallel and repeated runs never share a database or a Redis key. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function dropDatabase(name: string, mysqlUrl = TEST_MYSQL_URL): Promise<void> {
  const connection = await createConnection({ uri: mysqlUrl });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/** Deletes every key under a prefix (SCAN, never KEYS). */
export async function deleteRedisKeys(prefix: string, redisUrl = TEST_REDIS_URL): Promise<number> {
  const redis = createRedisClient(redisUrl, { name: 'test-cleanup' });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * Environment of a service under test: its own fresh database name and Redis prefix, free
 * ports. Set it on process.env before the app module is imported (config is read at import).
 */
export async function testServiceEnv(dbBaseName?: string): Promise<Record<string, string>> {
  const suffix = uniqueSuffix();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
    HOST: '127.0.0.1',
    HTTP_PORT: String(await freePort()),
    GRPC_PORT: String(await freePort()),
    MYSQL_URL: TEST_MYSQL_URL,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `mnit${suffix}:`,
    // No peer service by default: a test never reaches a system running on the default ports.
    GRPC_AUTH_URL: '127.0.0.1:1',
    GRPC_NOTES_URL: '127.0.0.1:1',
    GRPC_TODOS_URL: '127.0.0.1:1',
    GRPC_USER_URL: '127.0.0.1:1',
  };
  if (dbBaseName) env['DB_NAME'] = `${dbBaseName}_it_${suffix}`;
  return env;
}

/** A real gRPC client of a service under test, built the way the gateway builds its clients. */
export function grpcTestClient<T extends object>(spec: {
  packageName: string;
  protoFile: string;
  url: string;
  serviceName: string;
  tls?: GrpcTls;
}) {
  const proxy = ClientProxyFactory.create(grpcClientOptions(spec)) as unknown as ClientGrpcProxy;
  return { service: proxy.getService<T>(spec.serviceName), close: () => proxy.close() };
}

const identities = new Map<CallerName, ServiceIdentity>();

/**
 * A service identity token for a call to `audience`, minted with the built-in development key of
 * `caller` (what that process holds in dev and tests), acting for `userId` when given.
 */
export function testIdentity(audience: ServiceName, userId?: string, caller: CallerName = 'gateway'): string {
  let identity = identities.get(caller);
  if (!identity) identities.set(caller, (identity = serviceIdentityFromEnv(caller, { NODE_ENV: 'test', SERVICE_IDENTITY_TTL: 60 })));
  return identity.mint(audience, userId);
}
