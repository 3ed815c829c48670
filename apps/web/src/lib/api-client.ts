import type { CookieAuthResponse } from '@micronote/contracts';

import { env } from '../config/env';
import { ApiError } from './api-error';
import { clientId } from './client-id';
import { preferences } from './preferences';
import { signOut } from './session';
import type { TokenStore } from './tokens';
import { tokens } from './tokens';

export { ApiError, errorMessage } from './api-error';

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** A file sent as the raw body instead (with `contentType`, else the file's own type or application/octet-stream). */
  upload?: Blob;
  contentType?: string;
  /** Appended as a query string; undefined, null and '' are left out. */
  query?: Record<string, QueryValue>;
  /** Send the access token (default true); false for register/login. */
  auth?: boolean;
  signal?: AbortSignal;
  /** `blob` for downloads; otherwise JSON (or undefined for an empty answer). */
  responseType?: 'json' | 'blob';
}

export interface ApiClientConfig {
  /** '' = same origin. */
  baseUrl: string;
  tokens: TokenStore;
  /** This tab's X-Client-Id. */
  clientId: string;
  /** The user's IANA zone, sent as X-Time-Zone (the todo views' "today" is the server's answer in it). */
  timeZone?: () => string;
  fetch?: typeof fetch;
  /** The session is over (refresh refused): forget everything and show the sign-in page. */
  onSignedOut?: () => void;
  /**
   * Runs the refresh under a lock shared by all tabs (Web Locks), so two tabs never spend the same
   * refresh cookie, which the server would treat as theft and answer by revoking the session.
   */
  lock?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  patch<T>(path: string, body: unknown, options?: Omit<RequestOptions, 'method' | 'body'>): Promise<T>;
  delete<T = void>(path: string, options?: Omit<RequestOptions, 'method'>): Promise<T>;
  /** Exchanges the refresh cookie for a new access token (and cookie); concurrent callers share one request. */
  refreshSession(): Promise<CookieAuthResponse>;
}

/** Web Locks where available (secure contexts), otherwise just run (one tab at a time is then up to chance). */
export function webLock<T>(work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? locks.request('micronote-refresh', work) : work();
}

/**
 * The one way the app talks to the API: base URL, bearer token, X-Client-Id, X-Time-Zone, JSON in and out, a
 * typed ApiError from the error body, cookies included (the refresh cookie, scoped to /api/auth,
 * also when the API is on another allowed origin). On a 401 it refreshes the session once (one
 * refresh at a time however many requests fail together) and retries the request once; when the
 * refresh is refused it signs out. No UI side effects here: callers and the query cache decide
 * what to show.
 */
export function createApiClient(config: ApiClientConfig): ApiClient {
  const doFetch = config.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const lock = config.lock ?? ((work) => work());
  let refreshing: Promise<CookieAuthResponse> | null = null;

  const url = (path: string, query?: Record<string, QueryValue>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
    }
    const qs = search.toString();
    return `${config.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  };

  const sessionOver = () => {
    config.tokens.clear();
    config.onSignedOut?.();
  };

  async function send(path: string, options: RequestOptions, accessToken: string | null): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-client-id': config.clientId };
    const timeZone = config.timeZone?.();
    if (timeZone) headers['x-time-zone'] = timeZone;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.upload !== undefined) headers['content-type'] = options.contentType || options.upload.type || 'application/octet-stream';
    if (accessToken) headers['authorization'] = `Bearer ${accessToken}`;
    try {
      return await doFetch(url(path, options.query), {
        method: options.method ?? 'GET',
        headers,
        body: options.upload ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        credentials: 'include',
        signal: options.signal,
      });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      throw new ApiError(0, undefined, 'Network error');
    }
  }

  async function toError(response: Response): Promise<ApiError> {
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = await response.json();
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // Not JSON (a proxy's error page): fall back to the status text.
    }
    return new ApiError(response.status, body, response.statusText || `HTTP ${response.status}`);
  }

  async function refreshOnce(): Promise<CookieAuthResponse> {
    // The browser sends the cookie as it is when the lock is ours: another tab may have rotated it meanwhile.
    return lock(async () => {
      // Left by an older version of the app: sent once in the body, the gateway answers with the cookie.
      const legacy = config.tokens.legacyRefreshToken();
      const response = await send('/api/auth/refresh', { method: 'POST', body: legacy ? { refreshToken: legacy } : undefined }, null);
      if (!response.ok) {
        const error = await toError(response);
        // Refused (spent, revoked, expired, no cookie): the session is over. Anything else (the
        // server is down, rate limited) is not the user's fault: keep the session and fail this call.
        if (response.status === 400 || response.status === 401) sessionOver();
        throw error;
      }
      const auth = (await response.json()) as CookieAuthResponse;
      config.tokens.set(auth.accessToken);
      return { user: auth.user, accessToken: auth.accessToken, expiresIn: auth.expiresIn };
    });
  }

  function refreshSession(): Promise<CookieAuthResponse> {
    refreshing ??= refreshOnce().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function parse<T>(response: Response, options: RequestOptions): Promise<T> {
    if (options.responseType === 'blob') return (await response.blob()) as T;
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    let token = auth ? config.tokens.access() : null;
    // After a reload only the refresh cookie is left: get an access token first.
    if (auth && !token) {
      await refreshSession();
      token = config.tokens.access();
    }
    let response = await send(path, options, token);
    if (response.status === 401 && auth) {
      // Refresh unless another request already did while this one was in flight.
      if (config.tokens.access() === token) await refreshSession();
      else if (refreshing) await refreshing;
      response = await send(path, options, config.tokens.access());
      if (response.status === 401) {
        // A fresh token refused at once: the session was revoked in between.
        const error = await toError(response);
        sessionOver();
        throw error;
      }
    }
    if (!response.ok) throw await toError(response);
    return parse<T>(response, options);
  }

  return {
    request,
    get: (path, options) => request(path, { ...options, method: 'GET' }),
    post: (path, body, options) => request(path, { ...options, method: 'POST', body }),
    patch: (path, body, options) => request(path, { ...options, method: 'PATCH', body }),
    delete: (path, options) => request(path, { ...options, method: 'DELETE' }),
    refreshSession,
  };
}

/** The app's client. */
export const api = createApiClient({
  baseUrl: env.apiUrl,
  tokens,
  clientId,
  timeZone: () => preferences.get().timeZone,
  lock: webLock,
  onSignedOut: () => signOut('expired'),
});
