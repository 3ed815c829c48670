import { notesV1, todosV1 } from '@micronote/proto';
import { callUnary, ServiceIdentity } from '@micronote/server-core';
import type { OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ClientGrpc } from '@nestjs/microservices';

import type { Env } from '../config/env.validation';
import { AccountPurgesRepository } from './account-purges.repository';

const POLL_MS = 5_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/** ms to wait before attempt `attempts + 1`: 1 s, 2 s, 4 s … up to 5 min. */
export function backoffMs(attempts: number): number {
  return Math.min(1_000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/**
 * Finishes account deletions: removes the deleted users' notes and todos in their services.
 * Jobs live in `account_purges` (written with the deletion itself), so a service that is down
 * only delays the purge: it is retried with backoff until both services confirm, across restarts.
 */
@Injectable()
export class AccountPurger implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AccountPurger.name);
  private notes!: notesV1.NotesServiceClient;
  private todos!: todosV1.TodosServiceClient;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly jobs: AccountPurgesRepository,
    private readonly config: ConfigService<Env, true>,
    @Inject(notesV1.MICRONOTE_NOTES_V1_PACKAGE_NAME) private readonly notesClient: ClientGrpc,
    @Inject(todosV1.MICRONOTE_TODOS_V1_PACKAGE_NAME) private readonly todosClient: ClientGrpc,
    private readonly identity: ServiceIdentity,
  ) {}

  onModuleInit(): void {
    this.notes = this.notesClient.getService<notesV1.NotesServiceClient>(notesV1.NOTES_SERVICE_NAME);
    this.todos = this.todosClient.getService<todosV1.TodosServiceClient>(todosV1.TODOS_SERVICE_NAME);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.runSoon(), POLL_MS);
    this.timer.unref();
    this.runSoon();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Starts a pass now (or right after the one under way). */
  runSoon(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runDue()
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn(`account purge pass failed: ${error.message}`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.runSoon();
        }
      });
  }

  /** One pass over the jobs that are due; returns how many finished. */
  async runDue(): Promise<number> {
    const due = await this.jobs.due(50);
    let finished = 0;
    for (const job of due) {
      try {
        await this.purge(String(job.user_id));
        await this.jobs.finish(String(job.user_id));
        finished++;
      } catch (error) {
        const attempts = Number(job.attempts) + 1;
        const message = String((error as { details?: string; message?: string }).details ?? (error as Error).message).slice(0, 250);
        await this.jobs.retryLater(String(job.user_id), attempts, message, backoffMs(attempts));
        this.logger.warn(`purge of user ${job.user_id} failed (attempt ${attempts}), will retry: ${message}`);
      }
    }
    return finished;
  }

  private async purge(userId: string): Promise<void> {
    const context = { deadlineMs: Math.max(this.config.get('GRPC_DEADLINE_MS', { infer: true }), 30_000) };
    const [notes, todos] = await Promise.all([
      callUnary(
        this.notes,
        'deleteUserNotes',
        { userId },
        { ...context, target: 'notes-service', identity: this.identity.mint('notes-service') },
      ),
      callUnary(
        this.todos,
        'deleteUserTodos',
        { userId },
        { ...context, target: 'todos-service', identity: this.identity.mint('todos-service') },
      ),
    ]);
    this.logger.log(`purged user ${userId}: ${notes.deleted} notes, ${todos.deleted} todos`);
  }
}
