import type { ChangePasswordRequest, DeleteAccountRequest, UpdateProfileRequest } from '@micronote/contracts';
import { USER_LIMITS } from '@micronote/contracts';
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
