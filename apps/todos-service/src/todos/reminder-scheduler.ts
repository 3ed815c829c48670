import { TODO_LIMITS } from '@micronote/contracts';
import type { NewEvent } from '@micronote/events';
import { EventLog } from '@micronote/events';
import { PushQueue } from '@micronote/push';
import { metric } from '@micronote/server-core';
import type { Clock } from '@micronote/server-data';
import { CLOCK } from '@micronote/server-data';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Counter, Gauge, Histogram } from 'prom-client';

import type { Env } from '../config/env.validation';
import type { TodoRow } from './todos.repository';
import { TodosRepository, toTodo } from './todos.repository';

/** Lateness of fired reminders: 10 ms … 1 min, then anything later. */
const LATENESS_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300];

const reminderMetrics = () => ({
  fired: metric(
    'micronote_reminders_fired_total',
    () =>
      new Counter({
        name: 'micronote_reminders_fired_total',
        help: 'Reminders fired by this scheduler, by whether they were late (fired more than lateAfterMs after their time)',
        labelNames: ['late'],
      }),
  ),
  lateness: metric(
    'micronote_reminder_lateness_seconds',
    () =>
      new Histogram({
        name: 'micronote_reminder_lateness_seconds',
        help: 'From a reminder’s remindAt to its publication',
        buckets: LATENESS_BUCKETS,
      }),
  ),
  failures: metric(
    'micronote_reminder_poll_failures_total',
    () =>
      new Counter({ name: 'micronote_reminder_poll_failures_total', help: 'Scheduler polls that failed and were rolled back (retried)' }),
  ),
  lastPoll: metric(
    'micronote_reminder_last_poll_seconds',
    () => new Gauge({ name: 'micronote_reminder_last_poll_seconds', help: 'Unix time of the scheduler’s last successful poll' }),
  ),
});

/** The name of one reminder of a todo: published at most once (EventLog.publishOnce). */
export const reminderKey = (row: Pick<TodoRow, 'id' | 'reminder_seq'>) => `reminder:${row.id}:${row.reminder_seq}`;

/**
 * Fires due reminders, exactly once each, from any number of todos-service replicas (README
 * "Todos: reminders"). Every REMINDER_POLL_MS one transaction claims the due pending reminders
 * (`FOR UPDATE SKIP LOCKED` on ix_todos_reminder_due: each row is one replica's), publishes each
 * one's REMINDER event under its once-key, queues its Web Push (BullMQ job id = the same key; the
 * worker in user-service sends it), marks them fired and commits. A crash before the
 * commit leaves them pending: the next poll, here or elsewhere, claims them again, and the
 * once-key keeps the event from being published twice. A reminder that fell due while no
 * scheduler ran fires at the first poll after one starts, marked `late`.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReminderScheduler.name);
  private readonly metrics = reminderMetrics();
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly enabled: boolean;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly repo: TodosRepository,
    private readonly events: EventLog,
    private readonly pushes: PushQueue,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.enabled = config.get('REMINDERS_ENABLED', { infer: true }) === 'true';
    this.pollMs = config.get('REMINDER_POLL_MS', { infer: true });
    this.batch = config.get('REMINDER_BATCH', { infer: true });
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) {
      this.logger.log('reminders are off on this replica (REMINDERS_ENABLED=false)');
      return;
    }
    this.schedule(0);
  }

  /** Graceful shutdown: no new poll; the one in flight commits (or rolls back) before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollUntilDone().finally(() => {
        this.running = undefined;
        this.schedule(this.pollMs);
      });
    }, delay);
    this.timer.unref();
  }

  /** Polls until a batch comes back short (a backlog is worked off without waiting between batches). */
  private async pollUntilDone(): Promise<void> {
    try {
      while (!this.stopped && (await this.poll()) === this.batch);
      this.metrics.lastPoll.set(Date.now() / 1000);
    } catch (error) {
      this.metrics.failures.inc();
      this.logger.warn(`reminder poll failed (retried at the next poll): ${(error as Error).message}`);
    }
  }

  /** One claim-publish-mark transaction; answers how many reminders it fired. Exposed for tests. */
  async poll(): Promise<number> {
    return this.repo.transaction(async (manager) => {
      const now = this.clock.now();
      const rows = await this.repo.claimDueReminders(now, this.batch, manager);
      if (rows.length === 0) return 0;
      const counts = await this.repo.subtaskCounts(
        rows.filter((row) => row.parent_id === null).map((row) => String(row.id)),
        manager,
      );
      const fired = rows.map((row) => {
        const lateMs = now.getTime() - (row.remind_at as Date).getTime();
        const late = lateMs > TODO_LIMITS.reminder.lateAfterMs;
        const event: NewEvent = {
          type: 'REMINDER',
          userId: String(row.user_id),
          todoId: String(row.id),
          todo: toTodo(row, counts.get(String(row.id))),
          late,
        };
        return { row, key: reminderKey(row), event, lateMs, late };
      });
      // Published and queued for Web Push before the commit: a failure here rolls the claim back
      // (they stay pending), and the retry publishes and queues nothing twice (once-key, job id).
      await this.events.publishOnce(...fired);
      await Promise.all(
        fired.map(({ row, key, late }) =>
          this.pushes.enqueueReminderPush(
            String(row.user_id),
            {
              type: 'REMINDER',
              todoId: String(row.id),
              text: row.text,
              remindAt: (row.remind_at as Date).toISOString(),
              dueDate: row.due_date?.toISOString() ?? null,
              late,
            },
            key,
          ),
        ),
      );
      await this.repo.markRemindersFired(rows, manager);
      for (const { lateMs, late } of fired) {
        this.metrics.fired.inc({ late: String(late) });
        this.metrics.lateness.observe(Math.max(0, lateMs) / 1000);
      }
      return rows.length;
      // Replicas claim side by side: under READ COMMITTED the claim's and the mark's statements
      // lock only the rows they take (REPEATABLE READ would also lock what they scan past).
    }, 'READ COMMITTED');
  }
}
