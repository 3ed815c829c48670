import type { Server, Socket } from 'node:net';

import type { INestApplication, Type } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { HealthImplementation } from 'grpc-health-check';

import { flushTracing } from '../../tracing';
import type { BaseEnv, GrpcServerEnv } from '../config/env';
import { grpcReflectionEnabled, grpcServerOptions, grpcTlsOf } from '../grpc/grpc-options';
import { createAppLogger } from '../logging/logging.module';

export const GRPC_HEALTH = Symbol('GRPC_HEALTH');

/** A Fastify-based Nest app of process `name`, logging JSON lines (LoggingModule's format) from its first line on. */
export async function createHttpApp(module: Type<unknown>, name: string, fastifyOptions: FastifyServerOptions = {}) {
  return NestFactory.create<NestFastifyApplication>(
    module,
    // No Nest middleware anywhere (request logging is Fastify hooks), so no middie in front of every request.
    new FastifyAdapter({ bodyLimit: 1_048_576, skipMiddie: true, ...fastifyOptions }),
    // Fastify parses JSON itself; Nest's extra parsers (url-encoded forms) stay off.
    { logger: createAppLogger(name), bodyParser: false },
  );
}

/**
 * SIGTERM/SIGINT: stop taking work, let in-flight requests and calls finish (app.close() runs
 * every shutdown hook: gRPC tryShutdown, pools, Redis), then exit 0; exit 1 if that takes longer
 * than `graceMs`.
 */
export function closeOnSignals(app: INestApplication, name: string, graceMs = 10_000, beforeClose?: () => void): void {
  const logger = new Logger(name);
  // Every connection of the HTTP server, upgraded ones (socket.io) included, to cut at the end of the drain.
  const open = new Set<Socket>();
  (app.getHttpServer() as Server).on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: shutting down`);
    beforeClose?.();
    const timer = setTimeout(() => {
      logger.error(`Shutdown took longer than ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    // In-flight requests get half the grace to finish; then connections a client still holds open
    // (keep-alive, a WebSocket, a stalled stream) are cut so the close completes instead of timing out.
    const drain = setTimeout(() => {
      if (open.size > 0) logger.warn(`${open.size} connection(s) still open after ${graceMs / 2} ms of shutdown: closing them`);
      for (const socket of open) socket.destroy();
    }, graceMs / 2);
    drain.unref();
    app.close().then(
      // The spans of the last requests too.
      () => flushTracing().then(() => process.exit(0)),
      (error: Error) => {
        logger.error(`Shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

export interface ServiceSpec {
  name: string;
  module: Type<unknown>;
  packageName: string;
  protoFile: string;
  /** The fully-qualified gRPC service name, reported by grpc.health.v1 alongside ''. */
  serviceName: string;
  /** `main.js migrate`: create the database and apply migrations, then exit. */
  migrate?: () => Promise<unknown>;
}

/**
 * Entry point of every gRPC service: `node main.js` serves gRPC (plus health and reflection) and
 * HTTP (`/health`, `/health/ready`, `/metrics`); `node main.js migrate` runs its migrations.
 */
export async function runService(spec: ServiceSpec): Promise<INestApplication | undefined> {
  // JSON lines for everything, migrations and start-up failures included.
  Logger.overrideLogger(createAppLogger(spec.name));
  const logger = new Logger(spec.name);
  if (process.argv[2] === 'migrate') {
    if (!spec.migrate) throw new Error(`${spec.name} has no database`);
    try {
      await spec.migrate();
      process.exit(0);
    } catch (error) {
      logger.error(`Migration failed: ${(error as Error).message}`);
      process.exit(1);
    }
  }
  try {
    return await startService(spec);
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }
}

export async function startService(spec: ServiceSpec): Promise<INestApplication> {
  const app = await createHttpApp(spec.module, spec.name);
  const config = app.get(ConfigService<BaseEnv & GrpcServerEnv, true>);
  const health = app.get<HealthImplementation>(GRPC_HEALTH);
  const host = config.get('HOST', { infer: true });
  const grpcPort = config.get('GRPC_PORT', { infer: true });
  app.connectMicroservice<MicroserviceOptions>(
    grpcServerOptions({
      packageName: spec.packageName,
      protoFile: spec.protoFile,
      url: `${host}:${grpcPort}`,
      health,
      reflection: grpcReflectionEnabled({
        NODE_ENV: config.get('NODE_ENV', { infer: true }),
        GRPC_REFLECTION: config.get('GRPC_REFLECTION', { infer: true }),
      }),
      tls: grpcTlsOf(app.get(ConfigService)),
    }),
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen({ port: config.get('HTTP_PORT', { infer: true }), host });
  health.setStatus('', 'SERVING');
  health.setStatus(spec.serviceName, 'SERVING');
  closeOnSignals(app, spec.name, config.get('SHUTDOWN_GRACE_MS', { infer: true }), () => {
    health.setStatus('', 'NOT_SERVING');
    health.setStatus(spec.serviceName, 'NOT_SERVING');
  });
  new Logger(spec.name).log(`gRPC on ${host}:${grpcPort}, HTTP on ${await app.getUrl()}`);
  return app;
}

/** The grpc.health.v1 implementation of this process: SERVING once started, NOT_SERVING from shutdown on. */
export const grpcHealthProvider = {
  provide: GRPC_HEALTH,
  useFactory: () => new HealthImplementation({ '': 'NOT_SERVING' }),
};
