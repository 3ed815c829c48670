import type { PushAction, PushActionRequest, PushSubscriptionRequest } from '@micronote/contracts';
import { PUSH_LIMITS } from '@micronote/contracts';
import { PUSH_ACTIONS } from '@micronote/push';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsNumber, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The browser's keys of a PushSubscription (base64url). */
export class PushSubscriptionKeysDto {
  /** The browser's P-256 public key (65 bytes). */
  @IsString()
  @MaxLength(PUSH_LIMITS.p256dh.max)
  @Matches(BASE64URL, { message: 'keys.p256dh must be base64url' })
  p256dh!: string;

  /** The browser's auth secret (16 bytes). */
  @IsString()
  @MaxLength(PUSH_LIMITS.auth.max)
  @Matches(BASE64URL, { message: 'keys.auth must be base64url' })
  auth!: string;
}

/** `POST /api/push/subscriptions`: `PushSubscription.toJSON()` of the browser. */
export class PushSubscriptionDto implements PushSubscriptionRequest {
  /** The push service URL: https, on a public host (the server POSTs to it). */
  @IsString()
  @MaxLength(PUSH_LIMITS.endpoint.max)
  endpoint!: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => PushSubscriptionKeysDto)
  keys!: PushSubscriptionKeysDto;

  /** Sent by `toJSON()` in some browsers; ignored. */
  @IsOptional()
  @IsNumber()
  expirationTime?: number | null;
}

/** `DELETE /api/push/subscriptions`. */
export class DeletePushSubscriptionDto implements Pick<PushSubscriptionRequest, 'endpoint'> {
  @IsString()
  @MaxLength(PUSH_LIMITS.endpoint.max)
  endpoint!: string;
}

/** `POST /api/push/actions`: a reminder notification's button, from the service worker. */
export class PushActionDto implements PushActionRequest {
  /** The `actionToken` of the push. */
  @IsString()
  @MaxLength(2_048)
  token!: string;

  @IsIn(PUSH_ACTIONS, { message: `action must be one of ${PUSH_ACTIONS.join(', ')}` })
  action!: PushAction;
}
