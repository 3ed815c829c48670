import { SessionStore, TokenModule } from '@micronote/auth-session';
import { EventLog } from '@micronote/events';
import { Module } from '@nestjs/common';

import { AuthGrpcController } from './auth.grpc.controller';
import { AuthService } from './auth.service';
import { TokenIssuer } from './token-issuer';

@Module({
  imports: [TokenModule],
  controllers: [AuthGrpcController],
  providers: [AuthService, SessionStore, TokenIssuer, EventLog],
})
export class AuthModule {}
