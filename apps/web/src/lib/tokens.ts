/**
 * Where the tokens live: the access token only in memory (a script injected later cannot read
 * what was never stored), the refresh token in localStorage so that a reload stays signed in.
 * All tabs share the refresh token; the storage is read on every use because another tab may
 * have rotated it.
 */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface TokenStore {
  access(): string | null;
  refresh(): string | null;
  set(tokens: Tokens): void;
  clear(): void;
}

export const REFRESH_TOKEN_KEY = 'micronote.refreshToken';

/** localStorage, or null where it is unavailable (blocked cookies, some private modes). */
function browserStorage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null;
  }
}

/** `storage` null: memory only (the session then lasts as long as the page). */
export function createTokenStore(storage: Storage | null = browserStorage()): TokenStore {
  let accessToken: string | null = null;
  // The refresh token when there is no storage (and a fallback if writing to it fails).
  let memoryRefresh: string | null = null;
  return {
    access: () => accessToken,
    refresh: () => {
      try {
        return storage ? storage.getItem(REFRESH_TOKEN_KEY) : memoryRefresh;
      } catch {
        return memoryRefresh;
      }
    },
    set: (tokens) => {
      accessToken = tokens.accessToken;
      memoryRefresh = tokens.refreshToken;
      try {
        storage?.setItem(REFRESH_TOKEN_KEY, tokens.refreshToken);
      } catch {
        // Quota or privacy mode: memoryRefresh still holds it for this page.
      }
    },
    clear: () => {
      accessToken = null;
      memoryRefresh = null;
      try {
        storage?.removeItem(REFRESH_TOKEN_KEY);
      } catch {
        // Nothing stored.
      }
    },
  };
}

export const tokens = createTokenStore();
