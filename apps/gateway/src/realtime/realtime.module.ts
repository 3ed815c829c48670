import { TokenModule } from '@micronote/auth-session';
import { EventLog } from '@micronote/events';
import { Module } from '@nestjs/common';

import { RateLimiter } from '../common/rate-limit/rate-limiter';
import { ConnectionSlots } from './connection-slots';
import { RealtimeGateway } from './realtime.gateway';

/** socket.io at /socket.io: every change to a user's notes and todos, live, on every tab. */
@Module({ imports: [TokenModule], providers: [RealtimeGateway, EventLog, RateLimiter, ConnectionSlots] })
export class RealtimeModule {}
