import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The refresh token lives in this cookie, not in the SPA's storage: `HttpOnly` (no script, an
 * injected one included, can read it), `Secure` (Chromium and Firefox count http://127.0.0.1 and
 * localhost as secure too), `SameSite=Strict`, and sent to `/api/auth/*` only (refresh, logout).
 */
export const REFRESH_COOKIE = 'micronote_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';

const ATTRIBUTES: CookieSerializeOptions = { path: REFRESH_COOKIE_PATH, httpOnly: true, secure: true, sameSite: 'strict' };

/** Seconds until the JWT's `exp` (undefined when it has none or cannot be read): the cookie ends with its token. */
export function secondsUntilExpiry(token: string, now = Date.now()): number | undefined {
  try {
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof exp === 'number' ? Math.max(0, Math.floor(exp - now / 1000)) : undefined;
  } catch {
    return undefined;
  }
}

export function setRefreshCookie(reply: FastifyReply, refreshToken: string): void {
  void reply.setCookie(REFRESH_COOKIE, refreshToken, { ...ATTRIBUTES, maxAge: secondsUntilExpiry(refreshToken) });
}

export function clearRefreshCookie(reply: FastifyReply): void {
  void reply.clearCookie(REFRESH_COOKIE, ATTRIBUTES);
}

/** The refresh token of the request's cookie, if it sent one. */
export function refreshCookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[REFRESH_COOKIE];
  return value ? value : undefined;
}
