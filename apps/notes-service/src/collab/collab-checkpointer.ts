import { COLLAB_LIMITS } from '@micronote/contracts';
import { PeriodicJob } from '@micronote/server-core';
import type { Clock } from '@micronote/server-data';
import { CLOCK } from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';

import { NotesService } from '../notes/notes.service';
import { CollabRepository } from './collab.repository';

const EVERY_MS = 1_000;
/** Notes one pass looks at; the next pass (a second later) takes the rest. */
const BATCH = 100;

/**
 * Makes live edits versions: a note whose document is dirty and idle for
 * COLLAB_LIMITS.checkpointIdleMs (or dirty for checkpointMaxMs while editing goes on) gets a new
 * version through NotesService's normal save (its revision, NOTE_UPDATED). Every replica runs it:
 * a note another transaction holds is skipped (SKIP LOCKED), so they share the work.
 */
@Injectable()
export class CollabCheckpointer extends PeriodicJob {
  constructor(
    private readonly repo: CollabRepository,
    private readonly notes: NotesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super({ what: 'live-edit checkpoint', everyMs: EVERY_MS, firstAfterMs: EVERY_MS });
  }

  run(): Promise<unknown> {
    return this.checkpointDue();
  }

  /** Checkpoints the notes due now; answers how many became a version. */
  async checkpointDue(): Promise<number> {
    const now = this.clock.now().getTime();
    const idleBefore = new Date(now - COLLAB_LIMITS.checkpointIdleMs);
    const dirtyBefore = new Date(now - COLLAB_LIMITS.checkpointMaxMs);
    let made = 0;
    for (const noteId of await this.repo.due(idleBefore, dirtyBefore, BATCH)) {
      if (await this.notes.checkpoint(noteId, idleBefore, dirtyBefore)) made++;
    }
    return made;
  }
}
