import { tokenInvalid } from '@micronote/auth-session';
import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

/** Requires a valid access token; anything else is 401 (503 if the session store is down). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw tokenInvalid('Missing, invalid or expired access token');
    return user;
  }
}
