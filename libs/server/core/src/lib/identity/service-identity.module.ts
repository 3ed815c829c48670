import type { Metadata } from '@grpc/grpc-js';
import type { CanActivate, DynamicModule, ExecutionContext } from '@nestjs/common';
import { Global, Injectable, Module, SetMetadata } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { Counter } from 'prom-client';

import type { BaseEnv, ServiceIdentityEnv } from '../config/env';
import { secretProblems } from '../config/secrets';
import { DomainError, GrpcStatus } from '../errors/domain-error';
import { metric } from '../metrics/request-metrics';
import type { CallerName, ServiceName } from './service-identity';
import {
  decodeKey32,
  devIdentityPeers,
  devIdentitySeed,
  IDENTITY_CALLERS,
  IDENTITY_METADATA,
  identityRejected,
  isCaller,
  parsePeers,
  privateKeyFromSeed,
  ServiceIdentity,
} from './service-identity';

/** Which callers an RPC accepts: acting for a user (`asUser`, the request's userId must be that user) or as themselves (`asService`). */
export interface AcceptedCallers {
  asUser?: readonly CallerName[];
  asService?: readonly CallerName[];
}

const CALLERS_METADATA = 'micronote:accepted-callers';

/** Declares on a gRPC handler who may call it. A handler without it accepts no one. */
export const AcceptCallers = (accepted: AcceptedCallers): MethodDecorator => SetMetadata(CALLERS_METADATA, accepted);

export const identityRejections = () =>
  metric(
    'micronote_grpc_identity_rejected_total',
    () =>
      new Counter({
        name: 'micronote_grpc_identity_rejected_total',
        help: 'gRPC calls refused by the service identity check, by reason',
        labelNames: ['reason'],
      }),
  );

/**
 * The ServiceIdentity of process `name` from the environment. Development and tests fall back to
 * the built-in dev keys; NODE_ENV=production needs SERVICE_IDENTITY_PEERS and, for a caller, its
 * own SERVICE_IDENTITY_KEY, and refuses the dev keys.
 */
export function serviceIdentityFromEnv(name: ServiceName, env: Pick<BaseEnv, 'NODE_ENV'> & ServiceIdentityEnv): ServiceIdentity {
  const production = env.NODE_ENV === 'production';
  const devPeers = devIdentityPeers();
  const peersValue = env.SERVICE_IDENTITY_PEERS ?? (production ? undefined : devPeers);
  if (!peersValue) throw new Error('SERVICE_IDENTITY_PEERS must be set when NODE_ENV=production (see README, Security)');
  const peers = parsePeers(peersValue);
  const devKeys = new Set(devPeers.split(','));
  if (production && peersValue.split(',').some((entry) => devKeys.has(entry.trim()))) {
    throw new Error('SERVICE_IDENTITY_PEERS names a built-in development key: generate your own keys when NODE_ENV=production');
  }
  let seed: Buffer | undefined;
  if (env.SERVICE_IDENTITY_KEY) {
    seed = decodeKey32(env.SERVICE_IDENTITY_KEY) ?? undefined;
    if (!seed) throw new Error('SERVICE_IDENTITY_KEY must be a base64url 32-byte Ed25519 seed');
    if (production && IDENTITY_CALLERS.some((caller) => devIdentitySeed(caller).equals(seed as Buffer))) {
      throw new Error('SERVICE_IDENTITY_KEY is a built-in development key: generate your own when NODE_ENV=production');
    }
    const weak = production ? secretProblems('SERVICE_IDENTITY_KEY', env.SERVICE_IDENTITY_KEY) : [];
    if (weak.length > 0) throw new Error(weak.join('; '));
  } else if (isCaller(name)) {
    if (production) throw new Error(`SERVICE_IDENTITY_KEY must be set for ${name} when NODE_ENV=production`);
    seed = devIdentitySeed(name);
  }
  return new ServiceIdentity({
    name,
    signingKey: seed && privateKeyFromSeed(seed),
    peers,
    ttlSeconds: env.SERVICE_IDENTITY_TTL,
  });
}

/**
 * The one check of every gRPC call a service handles (installed by @GrpcEndpoint()): a valid
 * identity token in metadata (UNAUTHENTICATED when missing, forged, expired or meant for another
 * service), from a caller the handler accepts (PERMISSION_DENIED otherwise), and, when it acts
 * for a user, the same user as the request's `userId` (UNAUTHENTICATED otherwise).
 */
@Injectable()
export class ServiceIdentityGuard implements CanActivate {
  private readonly rules = new WeakMap<object, AcceptedCallers | null>();

  constructor(
    private readonly identity: ServiceIdentity,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'rpc') return true;
    const rpc = context.switchToRpc();
    const token = rpc.getContext<Metadata | undefined>()?.get?.(IDENTITY_METADATA)[0];
    if (typeof token !== 'string') throw this.reject('missing', identityRejected('Service identity is missing'));
    let claims;
    try {
      claims = this.identity.verify(token);
    } catch (error) {
      throw this.reject('invalid', error);
    }
    const accepted = this.acceptedCallers(context.getHandler());
    if (claims.sub === undefined) {
      if (!accepted?.asService?.includes(claims.iss)) throw this.reject('caller', this.denied(claims.iss));
      return true;
    }
    if (!accepted?.asUser?.includes(claims.iss)) throw this.reject('caller', this.denied(claims.iss));
    const userId = rpc.getData<{ userId?: unknown } | undefined>()?.userId;
    if (userId !== claims.sub) throw this.reject('user', identityRejected('Service identity names another user than the request'));
    return true;
  }

  private acceptedCallers(handler: object): AcceptedCallers | null {
    let accepted = this.rules.get(handler);
    if (accepted === undefined) {
      accepted = this.reflector.get<AcceptedCallers | undefined>(CALLERS_METADATA, handler as () => unknown) ?? null;
      this.rules.set(handler, accepted);
    }
    return accepted;
  }

  private denied(caller: string): DomainError {
    return new DomainError('SERVICE_CALLER_DENIED', `${caller} may not call this method`, GrpcStatus.PERMISSION_DENIED);
  }

  private reject(reason: string, error: unknown): unknown {
    identityRejections().inc({ reason });
    return error;
  }
}

/** This process's ServiceIdentity (and the guard that uses it), for every module. */
@Global()
@Module({})
export class ServiceIdentityModule {
  static forRoot(name: ServiceName): DynamicModule {
    return {
      module: ServiceIdentityModule,
      global: true,
      providers: [
        {
          provide: ServiceIdentity,
          inject: [ConfigService],
          useFactory: (config: ConfigService<BaseEnv & ServiceIdentityEnv, true>) => {
            identityRejections();
            return serviceIdentityFromEnv(name, {
              NODE_ENV: config.get('NODE_ENV', { infer: true }),
              SERVICE_IDENTITY_KEY: config.get('SERVICE_IDENTITY_KEY', { infer: true }),
              SERVICE_IDENTITY_PEERS: config.get('SERVICE_IDENTITY_PEERS', { infer: true }),
              SERVICE_IDENTITY_TTL: config.get('SERVICE_IDENTITY_TTL', { infer: true }),
            });
          },
        },
        ServiceIdentityGuard,
      ],
      exports: [ServiceIdentity, ServiceIdentityGuard],
    };
  }
}
