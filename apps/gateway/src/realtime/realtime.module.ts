import { TokenModule } from '@micronote/auth-session';
import { EventLog } from '@micronote/events';
import { Module } from '@nestjs/common';

import { ConnectionSlots } from './connection-slots';
import { RealtimeGateway } from './realtime.gateway';

/** socket.io at /socket.io: every change to a user's notes and todos, live, on every tab. */
@Module({ imports: [TokenModule], providers: [RealtimeGateway, EventLog, ConnectionSlots] })
export class RealtimeModule {}
