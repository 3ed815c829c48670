import type { ApiErrorBody } from '@micronote/contracts';

/** An error answer of the API (or no answer at all: `status` 0, code NETWORK_ERROR). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Every message of the body (validation errors list one per problem). */
  readonly messages: string[];
  readonly requestId?: string;
  /** The whole body, with details such as `current` on a 409 version conflict. */
  readonly body?: ApiErrorBody & Record<string, unknown>;

  constructor(status: number, body?: Partial<ApiErrorBody> & Record<string, unknown>, fallback = 'Request failed') {
    const messages = body?.message === undefined ? [fallback] : Array.isArray(body.message) ? body.message : [body.message];
    super(messages.join('; '));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? (status === 0 ? 'NETWORK_ERROR' : 'ERROR');
    this.messages = messages;
    this.requestId = body?.requestId;
    this.body = body as ApiErrorBody & Record<string, unknown>;
  }

  /** A field of the body beyond the standard ones, e.g. `current` (the stored entity) of a 409. */
  detail<T>(key: string): T | undefined {
    return this.body?.[key] as T | undefined;
  }

  /**
   * Sorts the messages of a 400/409 into the form's fields. class-validator starts each message
   * with the property name ("email must be an email"); `byCode` maps stable codes to a field
   * (EMAIL_TAKEN → email). What fits no field is returned in `other`.
   */
  fieldErrors<F extends string>(
    fields: readonly F[],
    byCode: Partial<Record<string, F>> = {},
  ): { fields: Partial<Record<F, string>>; other: string[] } {
    const result: Partial<Record<F, string>> = {};
    const other: string[] = [];
    const codeField = byCode[this.code];
    for (const message of this.messages) {
      const field = codeField ?? fields.find((f) => message === f || message.startsWith(`${f} `));
      if (!field) {
        other.push(message);
        continue;
      }
      // The first message per field is the one to fix first (a missing value also fails "must be a string").
      result[field] ??= codeField ? message : humanize(message.slice(field.length).trim());
    }
    return { fields: result, other };
  }
}

/** "must be an email" → "Must be an email". */
function humanize(rest: string): string {
  return rest ? rest[0].toUpperCase() + rest.slice(1) : 'Invalid value';
}

/** What to tell a person about any error. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return 'Cannot reach the server. Check your connection and try again.';
    if (error.status === 429) return 'Too many requests. Wait a moment and try again.';
    if (error.status === 503) return 'MicroNote is briefly unavailable. Try again in a moment.';
    if (error.status >= 500) return `The server had a problem (${error.status}). Try again in a moment.`;
    return error.messages.join(' ');
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}
