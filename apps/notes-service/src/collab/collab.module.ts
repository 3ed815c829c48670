import { CollabRelay } from '@micronote/events';

import { CollabRepository } from './collab.repository';
import { CollabService } from './collab.service';
import { CollabCheckpointer } from './collab-checkpointer';

/**
 * Live collaboration's providers, part of NotesModule (the service writes notes' text through
 * NotesRepository and checkpoints through NotesService, which writes documents through it: one
 * module, no cycle of modules). Its RPCs are on NotesGrpcController (one gRPC service).
 */
export const collabProviders = [CollabService, CollabRepository, CollabRelay, CollabCheckpointer];
