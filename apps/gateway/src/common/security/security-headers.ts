import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HelmetOptions } from 'helmet';
import helmet from 'helmet';

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

/** The reads without an account (`GET /api/public/notes/:token`): never cached, never indexed. */
const PUBLIC_PATH = /^\/api\/public(\/|$|\?)/;
const PUBLIC_READ_HEADERS = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' } as const;

/**
 * The headers helmet sets, worked out once: with these options (no nonces) they are the same for
 * every response, so running helmet's middleware per request (parsing the CSP each time) is waste.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * helmet's headers on every response (nosniff, frame options, HSTS, referrer policy, CSP, ...),
 * set before routing so that errors carry them too, with the relaxed CSP above swapped in for the
 * API docs only.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const headers = helmetHeaders({ contentSecurityPolicy: { useDefaults: false, directives: GATEWAY_CSP_DIRECTIVES } });
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.headers(headers);
    // Before routing, so that every answer carries them: Fastify's own 404 for a token longer than
    // its parameter limit (100 characters) and a 429 included, not only the controller's answers.
    if (PUBLIC_PATH.test(request.url)) void reply.headers(PUBLIC_READ_HEADERS);
  });
  fastify.addHook('onSend', async (request: FastifyRequest, reply, payload) => {
    if (DOCS_PATH.test(request.url)) void reply.header('content-security-policy', DOCS_CSP);
    return payload;
  });
}
