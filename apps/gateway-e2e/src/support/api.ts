import { randomBytes, randomInt } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import type { AuthResponse } from '@micronote/contracts';

export const GATEWAY_URL = process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:8080';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (not JSON-encoded). */
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** One HTTP call to the gateway; the body is parsed as JSON when there is one. */
export async function api<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.rawBody !== undefined) {
    body = options.rawBody;
  }
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const response = await fetch(`${GATEWAY_URL}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if (text && response.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export interface TestUser {
  name: string;
  email: string;
  username: string;
  password: string;
}

/** A user no other test (or earlier run) has. */
export function newUser(): TestUser {
  const id = randomBytes(5).toString('hex');
  return { name: `Tester ${id}`, email: `t_${id}@example.com`, username: `t_${id}`, password: `pw-${id}-long` };
}

export async function register(user: TestUser = newUser()): Promise<AuthResponse & { credentials: TestUser }> {
  const response = await api<AuthResponse>('POST', '/api/auth/register', { body: user });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { ...response.body, credentials: user };
}

export async function login(loginName: string, password: string): Promise<AuthResponse> {
  const response = await api<AuthResponse>('POST', '/api/auth/login', { body: { login: loginName, password } });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The gateway's refresh-token cookie (HttpOnly, Path=/api/auth), as the SPA's browser holds it. */
export const REFRESH_COOKIE = 'micronote_refresh';

/** The `Set-Cookie` line of `name` in a response (undefined if it sets none). */
export function setCookieLine(response: Pick<ApiResponse, 'headers'>, name = REFRESH_COOKIE): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** The value a response sets for cookie `name` ('' when it clears it; undefined if it sets none). */
export function setCookieValue(response: Pick<ApiResponse, 'headers'>, name = REFRESH_COOKIE): string | undefined {
  const line = setCookieLine(response, name);
  return line === undefined ? undefined : decodeURIComponent(line.slice(name.length + 1).split(';')[0] ?? '');
}

/** Asserts the spec's error shape and returns the body. */
export function expectError(response: ApiResponse, status: number): Record<string, unknown> {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { statusCode: status, error: expect.any(String), code: expect.any(String), requestId: expect.any(String) },
  });
  const message = (response.body as { message: unknown }).message;
  expect(typeof message === 'string' ? message.length : (message as string[]).length).toBeGreaterThan(0);
  return response.body as Record<string, unknown>;
}

/**
 * A request whose response may come before the body is sent (e.g. 413 on Content-Length):
 * node:http reports the early response instead of failing on the reset connection, as fetch may.
 */
export function sendEarlyAnswered(method: string, path: string, body: string, headers: Record<string, string>): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${GATEWAY_URL}${path}`,
      { method, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: new Headers(res.headers as Record<string, string>),
            body: text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.end(body);
  });
}

/** A loopback address no other test uses (127.x.y.z): its per-IP rate-limit counters start at zero on the shared Redis. */
export const freshIp = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** One JSON request to `base` from the local address `from`; the path is sent exactly as given (no URL normalisation). */
export function sendFrom(
  base: string,
  from: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<ApiResponse<any>> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string | number> = {};
  if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method, headers, localAddress: from, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: new Headers(res.headers as Record<string, string>),
          body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A 429 `RATE_LIMITED` in the error shape, with a whole number of seconds in `Retry-After`. */
export function expectRateLimited(response: ApiResponse): void {
  expectError(response, 429);
  expect(response.body).toMatchObject({ code: 'RATE_LIMITED', error: 'Too Many Requests' });
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
}
