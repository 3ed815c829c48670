import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The CSP of everything the gateway serves, the SPA at `/` included: its scripts and styles are
 * files from this origin (Vite's index.html has no inline script); React components set a few
 * `style` attributes, hence 'unsafe-inline' for styles only. 'self' in connect-src also covers
 * the same-origin ws:/wss: socket.io connection (CSP Level 3). No framing anywhere.
 */
export const GATEWAY_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/** Swagger UI (/api/docs only) injects inline styles and script and uses data:/https images. */
export const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data: https:; font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'";

const DOCS_PATH = /^\/api\/docs(\/|$|\?)/;

/**
 * @fastify/helmet on every response (nosniff, frame options, HSTS, referrer policy, CSP, ...),
 * with the relaxed CSP above swapped in for the API docs only.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  void fastify.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: GATEWAY_CSP_DIRECTIVES },
  });
  fastify.addHook('onSend', async (request: FastifyRequest, reply, payload) => {
    if (DOCS_PATH.test(request.url)) void reply.header('content-security-policy', DOCS_CSP);
    return payload;
  });
}
