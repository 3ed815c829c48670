import { EventLog } from '@micronote/events';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AccountsModule } from '../accounts/accounts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { PushModule } from '../push/push.module';
import { CredentialLock } from './credential-lock';
import { PasswordHasher } from './password-hasher';
import { UserEntity } from './user.entity';
import { UsersGrpcController } from './users.grpc.controller';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), AccountsModule, NotificationsModule, PushModule],
  controllers: [UsersGrpcController],
  providers: [UsersService, PasswordHasher, CredentialLock, EventLog],
})
export class UsersModule {}
