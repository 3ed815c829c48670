import type { LoginRequest, LogoutRequest, RefreshRequest, RegisterRequest } from '@micronote/contracts';
import { USER_LIMITS } from '@micronote/contracts';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto implements RegisterRequest {
  /** Display name, 1..50 characters. */
  @Transform(trim)
  @IsString()
  @Length(USER_LIMITS.name.min, USER_LIMITS.name.max)
  name!: string;

  /** A valid e-mail address of at most 100 characters (stored lower-case). */
  @Transform(trim)
  @IsString()
  @MaxLength(USER_LIMITS.email.max)
  @IsEmail()
  email!: string;

  /** 3..20 letters, digits or underscores; unique case-insensitively. */
  @IsString()
  @Matches(USER_LIMITS.username.pattern, { message: 'username must be 3 to 20 letters, digits or underscores' })
  username!: string;

  /** 8..128 characters. */
  @IsString()
  @Length(USER_LIMITS.password.min, USER_LIMITS.password.max)
  password!: string;
}

export class LoginDto implements LoginRequest {
  /** Username or e-mail address (e-mail is case-insensitive). */
  @IsString()
  @Length(1, USER_LIMITS.email.max)
  login!: string;

  @IsString()
  @Length(1, USER_LIMITS.password.max)
  password!: string;
}

export class RefreshDto implements RefreshRequest {
  /** The refresh token; leave it out to use the `micronote_refresh` cookie (browsers). Either one is required. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  refreshToken?: string;
}

export class LogoutDto implements LogoutRequest {
  /** Also end the session of this refresh token (when it is the caller's); without it, the one of the refresh cookie. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  refreshToken?: string;
}
