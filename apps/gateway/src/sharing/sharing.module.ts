import { Module } from '@nestjs/common';

import { UsersModule } from '../users/users.module';
import { Invitations } from './invitations';
import { NotificationsHttpController } from './notifications.http.controller';
import { Notifier } from './notifier';
import { PeopleView } from './people-view';
import { SharedHttpController } from './shared.http.controller';

/**
 * Sharing with people across notes and lists: the REST view of people (PeopleView), /api/shared,
 * and the in-app notifications of what people do to each other's things (Notifier, /api/notifications).
 */
@Module({
  imports: [UsersModule],
  controllers: [SharedHttpController, NotificationsHttpController],
  providers: [PeopleView, Notifier, Invitations],
  exports: [PeopleView, Notifier, Invitations, UsersModule],
})
export class SharingModule {}
