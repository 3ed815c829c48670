import { EventLog } from '@micronote/events';
import { clockProvider } from '@micronote/server-data';
import { Module } from '@nestjs/common';

import { NotificationsService } from './notifications.service';

/** In-app notifications (their RPCs are on UsersGrpcController: one gRPC service). */
@Module({
  providers: [NotificationsService, EventLog, clockProvider],
  exports: [NotificationsService],
})
export class NotificationsModule {}
