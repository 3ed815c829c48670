/** REST shapes of the MicroNote API (see the OpenAPI document at /api/docs). Types only. */

export interface User {
  id: string;
  name: string;
  email: string;
  username: string;
  createdAt: string;
  updatedAt: string;
}

export interface AuthResponse {
  user: User;
  accessToken: string;
  refreshToken: string;
  /** Access-token lifetime in seconds. */
  expiresIn: number;
}

export interface RegisterRequest {
  name: string;
  email: string;
  username: string;
  password: string;
}

export interface LoginRequest {
  /** Username or e-mail (case-insensitive). */
  login: string;
  password: string;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface LogoutRequest {
  refreshToken?: string;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string;
  current: boolean;
}

export interface UpdateProfileRequest {
  name?: string;
  email?: string;
  username?: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface DeleteAccountRequest {
  password: string;
}

export interface ItemsResponse<T> {
  items: T[];
}

export interface Page<T> extends ItemsResponse<T> {
  nextCursor: string | null;
}

/** Every error response. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  /** Stable machine-readable code, e.g. NOTE_NOT_FOUND. */
  code: string;
  requestId?: string;
  /** Set on 5xx; the same id is in the server log. */
  errorId?: string;
}
