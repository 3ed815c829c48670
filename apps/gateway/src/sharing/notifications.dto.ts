import type { MarkNotificationsReadRequest } from '@micronote/contracts';
import { ID_PATTERN, NOTIFICATION_LIMITS } from '@micronote/contracts';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** `GET /api/notifications`. */
export class NotificationsQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(NOTIFICATION_LIMITS.pageSize.min)
  @Max(NOTIFICATION_LIMITS.pageSize.max)
  limit?: number;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** `POST /api/notifications/read`. */
export class MarkNotificationsReadDto implements MarkNotificationsReadRequest {
  /** These notifications; absent or empty: all of mine. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(NOTIFICATION_LIMITS.pageSize.max)
  @IsString({ each: true })
  @Matches(ID_PATTERN, { each: true, message: 'ids must be notification ids' })
  ids?: string[];
}
