import type { AuthUser } from '@micronote/auth-session';
import type { ExecutionContext } from '@nestjs/common';
import { createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

// (a malformed key never reaches a handler: the IdempotencyInterceptor answers 400 first)
import { IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY } from '../idempotency/idempotency.interceptor';

/** Who is asking and from where, passed explicitly to the gRPC layer. */
export interface RequestContext {
  requestId: string;
  ip: string;
  userAgent: string;
  /** The tab's `X-Client-Id`, echoed in realtime events so a tab can skip its own changes. */
  clientId: string;
  /** A well-formed `Idempotency-Key` ('' if none), passed to the services that create items. */
  idempotencyKey: string;
  /** The signed-in user (from the verified access token), for whom gRPC calls act; absent on sign-up, sign-in and refresh. */
  userId?: string;
}

const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function requestContextOf(request: FastifyRequest & { user?: AuthUser }): RequestContext {
  const clientId = request.headers['x-client-id'];
  const idempotencyKey = request.headers[IDEMPOTENCY_HEADER];
  return {
    requestId: String(request.id),
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 256),
    clientId: typeof clientId === 'string' && CLIENT_ID.test(clientId) ? clientId : '',
    idempotencyKey: typeof idempotencyKey === 'string' && IDEMPOTENCY_KEY.test(idempotencyKey) ? idempotencyKey : '',
    userId: request.user?.userId,
  };
}

export const Ctx = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestContext => requestContextOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

/** The authenticated user (set by JwtAuthGuard). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser => context.switchToHttp().getRequest<FastifyRequest & { user: AuthUser }>().user,
);
