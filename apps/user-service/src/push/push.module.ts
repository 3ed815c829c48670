import { clockProvider } from '@micronote/server-data';
import { Module } from '@nestjs/common';

import { PushWorker } from './push.worker';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';
import { PushSubscriptionsService } from './push-subscriptions.service';

/** Web Push: the subscriptions (their RPCs are on UsersGrpcController: one gRPC service) and the worker that sends reminder pushes. */
@Module({
  providers: [PushSubscriptionsRepository, PushSubscriptionsService, PushWorker, clockProvider],
  exports: [PushSubscriptionsService],
})
export class PushModule {}
