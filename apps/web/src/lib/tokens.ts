/**
 * Where the session lives in the browser. The access token: in memory only. The refresh token: in
 * the HttpOnly cookie the gateway sets on sign-in and every refresh (`micronote_refresh`, sent to
 * /api/auth only), which no script can read, this app's included, so an injected one cannot
 * carry it away. All tabs share that cookie. What this store keeps in localStorage is only a hint
 * that this browser has a session (`micronote.session`): a reload then knows to refresh at once,
 * and the other tabs learn from its removal (a `storage` event) that the session ended.
 */
export interface TokenStore {
  access(): string | null;
  /** A session was started in this browser and not ended (a hint: the cookie itself may have expired). */
  hasSession(): boolean;
  /** After sign-in or a refresh: the new access token. */
  set(accessToken: string): void;
  clear(): void;
  /** A refresh token an older version of the app kept in localStorage, if one is left (sent once, then the cookie takes over). */
  legacyRefreshToken(): string | null;
}

export const SESSION_KEY = 'micronote.session';
/** Where versions before the cookie kept the refresh token; removed on the next sign-in or refresh. */
export const LEGACY_REFRESH_TOKEN_KEY = 'micronote.refreshToken';

/** localStorage, or null where it is unavailable (blocked cookies, some private modes). */
function browserStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** `storage` null: the hint in memory only (a reload then starts signed out; the cookie is still there for a sign-in). */
export function createTokenStore(storage: Storage | null = browserStorage()): TokenStore {
  let accessToken: string | null = null;
  let memoryHint = false;
  const read = (key: string): string | null => {
    try {
      return storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  };
  const write = (key: string, value: string | null): void => {
    try {
      if (value === null) storage?.removeItem(key);
      else storage?.setItem(key, value);
    } catch {
      // Quota or privacy mode: the memory hint still serves this page.
    }
  };
  return {
    access: () => accessToken,
    hasSession: () => memoryHint || read(SESSION_KEY) === '1' || read(LEGACY_REFRESH_TOKEN_KEY) !== null,
    set: (token) => {
      accessToken = token;
      memoryHint = true;
      write(SESSION_KEY, '1');
      write(LEGACY_REFRESH_TOKEN_KEY, null);
    },
    clear: () => {
      accessToken = null;
      memoryHint = false;
      write(SESSION_KEY, null);
      write(LEGACY_REFRESH_TOKEN_KEY, null);
    },
    legacyRefreshToken: () => read(LEGACY_REFRESH_TOKEN_KEY),
  };
}

export const tokens = createTokenStore();
