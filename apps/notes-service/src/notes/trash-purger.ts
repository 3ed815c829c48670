import { NOTE_LIMITS } from '@micronote/contracts';
import { PeriodicJob } from '@micronote/server-core';
import type { Clock } from '@micronote/server-data';
import { CLOCK, drain } from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';

import { NotesRepository } from './notes.repository';

const EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes notes that have been in the trash for more than 30 days: once at start-up, then
 * hourly, in batches so no statement holds many locks. Safe to run on every replica at once.
 */
@Injectable()
export class TrashPurger extends PeriodicJob {
  constructor(
    private readonly repo: NotesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super({ what: 'trash purge', everyMs: EVERY_MS, firstAfterMs: 5_000 });
  }

  run(): Promise<unknown> {
    return this.purge();
  }

  /** Purges everything trashed before now − 30 days; returns how many notes went. */
  async purge(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - NOTE_LIMITS.trashRetentionDays * DAY_MS);
    const purged = await drain(() => this.repo.purgeTrashBatch(cutoff, 1_000));
    if (purged > 0) this.logger.log(`purged ${purged} notes from the trash`);
    return purged;
  }
}
