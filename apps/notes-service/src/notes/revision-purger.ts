import { NOTE_LIMITS } from '@micronote/contracts';
import { PeriodicJob } from '@micronote/server-core';
import type { Clock } from '@micronote/server-data';
import { CLOCK, drain } from '@micronote/server-data';
import { Inject, Injectable } from '@nestjs/common';

import { NoteRevisionsRepository } from './note-revisions.repository';

const EVERY_MS = 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** How far back past keepDays the purger looks for notes whose revisions just aged out (covers a purger down for two days). */
const AGED_WINDOW_MS = 2 * DAY_MS;
const BATCH = 1_000;

/**
 * Thins and ages out note revisions (NOTE_LIMITS.revisions): once at start-up, then hourly, in
 * batches, safe on every replica at once.
 * - Thinning: a revision followed within coalesceMinutes by one of the same client is marked when
 *   that one is saved; marked revisions go once they are older than keepAllHours.
 * - Retention: a note keeps its last keepLast revisions or those of the last keepDays, whichever
 *   are more. Every write applies this to its note; this job applies it to the notes whose
 *   revisions passed keepDays since (those saved in the AGED_WINDOW_MS before the cutoff).
 */
@Injectable()
export class RevisionPurger extends PeriodicJob {
  constructor(
    private readonly revisions: NoteRevisionsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super({ what: 'revision purge', everyMs: EVERY_MS, firstAfterMs: 7_000 });
  }

  run(): Promise<unknown> {
    return this.purge();
  }

  /** One pass; returns how many revisions were thinned and how many aged out. */
  async purge(): Promise<{ thinned: number; aged: number }> {
    const now = this.clock.now();
    const thinned = await drain(() =>
      this.revisions.thinBatch(new Date(now.getTime() - NOTE_LIMITS.revisions.keepAllHours * HOUR_MS), BATCH),
    );
    const cutoff = new Date(now.getTime() - NOTE_LIMITS.revisions.keepDays * DAY_MS);
    let aged = 0;
    for (let afterId = '0'; ; ) {
      const notes = await this.revisions.aged(new Date(cutoff.getTime() - AGED_WINDOW_MS), cutoff, afterId, BATCH);
      for (const noteId of notes) aged += await this.revisions.applyRetention(noteId, now);
      if (notes.length < BATCH) break;
      afterId = notes[notes.length - 1];
    }
    if (thinned + aged > 0) this.logger.log(`revisions: ${thinned} thinned, ${aged} past retention`);
    return { thinned, aged };
  }
}
