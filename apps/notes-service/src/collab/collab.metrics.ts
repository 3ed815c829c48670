import { LATENCY_BUCKETS, metric } from '@micronote/server-core';
import { Counter, Histogram } from 'prom-client';

/** Stored live updates, by source: `live` (a collab:update) or `rest` (a REST text write merged into the document). */
export const collabUpdates = () =>
  metric(
    'collab_updates_total',
    () => new Counter({ name: 'collab_updates_total', help: 'Yjs updates stored, by source (live, rest)', labelNames: ['source'] }),
  );

/** One ApplyNoteUpdate, from its arrival to its commit: the wait for the note's batch and the transaction. */
export const collabApplySeconds = () =>
  metric(
    'collab_apply_seconds',
    () =>
      new Histogram({
        name: 'collab_apply_seconds',
        help: 'Time to store one live update (ApplyNoteUpdate: the wait for its batch and the transaction)',
        buckets: LATENCY_BUCKETS,
      }),
  );

/** A document's snapshot size, observed at each compaction (the storage a note's live history takes). */
export const collabDocBytes = () =>
  metric(
    'collab_doc_bytes',
    () =>
      new Histogram({
        name: 'collab_doc_bytes',
        help: 'Bytes of a note document snapshot at compaction',
        buckets: [256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304],
      }),
  );

/** Live updates stored by one transaction (updates of a note that arrived while its previous transaction ran go together). */
export const collabApplyBatch = () =>
  metric(
    'collab_apply_batch_updates',
    () =>
      new Histogram({
        name: 'collab_apply_batch_updates',
        help: 'Live updates stored per transaction (a note batch)',
        buckets: [1, 2, 4, 8, 16, 32, 64, 100],
      }),
  );

/** Live updates not stored because their caller had given up (the call's deadline passed while they waited for their batch). */
export const collabUpdatesShed = () =>
  metric(
    'collab_updates_shed_total',
    () =>
      new Counter({
        name: 'collab_updates_shed_total',
        help: 'Live updates dropped unstored: their call deadline passed while they waited',
      }),
  );
