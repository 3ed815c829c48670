import type { PushAction } from '@micronote/contracts';
import type { ServiceIdentity } from '@micronote/server-core';

/** The header `typ` of an action token: a statement of user-service's that is no service identity. */
const ACTION_TOKEN_TYPE = 'micronote-push-action';
/** Who signs action tokens (the push worker) and so whose public key checks them. */
const ACTION_TOKEN_ISSUER = 'user-service';

/** How long the buttons of a reminder's notification work. */
export const ACTION_TOKEN_TTL_S = 24 * 60 * 60;

export const PUSH_ACTIONS: readonly PushAction[] = ['done', 'snooze'];

/** What an action token allows: acting on one todo of one user, for one reminder. */
export interface PushActionClaims {
  /** The user. */
  sub: string;
  todoId: string;
  /** The reminder (its job id), so a token is tied to one push. */
  reminder: string;
  iat: number;
  exp: number;
}

/**
 * The action token of a reminder's push (`ReminderPushPayload.actionToken`): signed by user-service
 * with its service identity key (Ed25519), checked by the gateway with user-service's public key
 * (SERVICE_IDENTITY_PEERS). No secret is shared and no other process can make one; the header's
 * own `typ` keeps it apart from the service identities signed with the same key.
 */
export function signActionToken(identity: ServiceIdentity, claims: Omit<PushActionClaims, 'iat' | 'exp'>, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  return identity.signStatement(ACTION_TOKEN_TYPE, { ...claims, iat, exp: iat + ACTION_TOKEN_TTL_S });
}

/** The claims of a genuine, unexpired action token, or null. */
export function verifyActionToken(identity: ServiceIdentity, token: string, nowMs = Date.now()): PushActionClaims | null {
  const claims = identity.verifyStatement(ACTION_TOKEN_TYPE, ACTION_TOKEN_ISSUER, token);
  if (!claims) return null;
  const { sub, todoId, reminder, iat, exp } = claims;
  if (typeof sub !== 'string' || !/^\d{1,20}$/.test(sub) || typeof todoId !== 'string' || !/^\d{1,20}$/.test(todoId)) return null;
  if (typeof reminder !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return null;
  if (exp * 1000 < nowMs || iat * 1000 > nowMs + 5_000) return null;
  return { sub, todoId, reminder, iat, exp };
}
