import { TokenModule } from '@micronote/auth-session';
import { CollabRelay, EventLog } from '@micronote/events';
import { Module } from '@nestjs/common';

import { CollabSessions } from './collab/collab-sessions';
import { ConnectionSlots } from './connection-slots';
import { RealtimeGateway } from './realtime.gateway';

/** socket.io at /socket.io: every change to a user's notes and todos, live, on every tab; live collaboration on notes (collab:*). */
@Module({ imports: [TokenModule], providers: [RealtimeGateway, EventLog, ConnectionSlots, CollabRelay, CollabSessions] })
export class RealtimeModule {}
