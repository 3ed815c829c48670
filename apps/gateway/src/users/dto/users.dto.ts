import type { ChangePasswordRequest, DeleteAccountRequest, UpdateProfileRequest } from '@micronote/contracts';
import { USER_LIMITS } from '@micronote/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class UpdateProfileDto implements UpdateProfileRequest {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(USER_LIMITS.name.min, USER_LIMITS.name.max)
  name?: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(USER_LIMITS.email.max)
  @IsEmail()
  email?: string;

  @IsOptional()
  @IsString()
  @Matches(USER_LIMITS.username.pattern, { message: 'username must be 3 to 20 letters, digits or underscores' })
  username?: string;

  /**
   * An IANA time zone name (`Europe/Berlin`, `UTC`) for the todo views and due times, answered in
   * Intl's spelling (`europe/berlin` → `Europe/Berlin`); `null` clears it. user-service checks it.
   */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: USER_LIMITS.timeZone.max, example: 'Europe/Berlin' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(USER_LIMITS.timeZone.max)
  timeZone?: string | null;

  /** A BCP 47 language tag (`en-GB`) for dates and numbers, answered canonical (`en-gb` → `en-GB`); `null` clears it. */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: USER_LIMITS.locale.max, example: 'en-GB' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(USER_LIMITS.locale.max)
  locale?: string | null;

  /** Required when `email` changes (a wrong one spends the account's failed-password budget). */
  @IsOptional()
  @IsString()
  @Length(1, USER_LIMITS.password.max)
  currentPassword?: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @IsString()
  @Length(1, USER_LIMITS.password.max)
  currentPassword!: string;

  /** 8..128 characters. */
  @IsString()
  @Length(USER_LIMITS.password.min, USER_LIMITS.password.max)
  newPassword!: string;
}

export class DeleteAccountDto implements DeleteAccountRequest {
  @IsString()
  @Length(1, USER_LIMITS.password.max)
  password!: string;
}
