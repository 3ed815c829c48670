import { EventLog } from '@micronote/events';
import { TokenModule } from '@micronote/server-core';
import { Module } from '@nestjs/common';

import { SessionStore } from '../sessions/session.store';
import { AuthGrpcController } from './auth.grpc.controller';
import { AuthService } from './auth.service';
import { TokenIssuer } from './token-issuer';

@Module({
  imports: [TokenModule],
  controllers: [AuthGrpcController],
  providers: [AuthService, SessionStore, TokenIssuer, EventLog],
})
export class AuthModule {}
