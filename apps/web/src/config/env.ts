import * as z from 'zod/mini';

/** An origin such as `http://localhost:8080`, or '' for "the page's own origin". */
const origin = z._default(z.union([z.literal(''), z.url({ protocol: /^https?$/ })]), '');

const EnvSchema = z.object({
  /** Where the REST API lives (`<origin>/api/...`). '' = same origin as the page (the gateway serves both). */
  VITE_API_URL: origin,
  /** Where socket.io lives (`<origin>/socket.io`). '' = the API's origin. */
  VITE_REALTIME_URL: origin,
});

export interface Env {
  /** Base URL of REST calls without a trailing slash ('' = same origin). */
  apiUrl: string;
  /** Origin of the socket.io server. */
  realtimeUrl: string;
}

/**
 * The VITE_ variables, validated once at start-up. A bad value stops the app with a message that
 * names the variable (never its value, as on the server side).
 */
export function parseEnv(raw: Record<string, unknown>, pageOrigin: string): Env {
  const result = z.safeParse(EnvSchema, raw);
  if (!result.success) {
    const names = [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
    throw new Error(`Invalid configuration: ${names.join(', ')} must be an http(s) URL or empty`);
  }
  const apiUrl = result.data.VITE_API_URL.replace(/\/+$/, '');
  const realtimeUrl = (result.data.VITE_REALTIME_URL || apiUrl || pageOrigin).replace(/\/+$/, '');
  return { apiUrl, realtimeUrl };
}

export const env: Env = parseEnv(__WEB_ENV__, typeof window === 'undefined' ? 'http://localhost' : window.location.origin);
