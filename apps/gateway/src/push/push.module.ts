import { Module } from '@nestjs/common';

import { PushHttpController } from './push.http.controller';

/** /api/push: the VAPID key, the browsers' subscriptions (user-service) and the notification buttons (todos-service). */
@Module({ controllers: [PushHttpController] })
export class PushModule {}
