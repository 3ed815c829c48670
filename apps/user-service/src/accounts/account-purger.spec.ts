import type { ConfigService } from '@nestjs/config';
import type { ClientGrpc } from '@nestjs/microservices';
import { of, throwError } from 'rxjs';

import type { Env } from '../config/env.validation';
import { AccountPurger, backoffMs } from './account-purger';
import type { AccountPurgesRepository } from './account-purges.repository';

describe(AccountPurger.name, () => {
  let jobs: Map<string, { attempts: number; lastError?: string }>;
  let notes: { deleteUserNotes: jest.Mock };
  let todos: { deleteUserTodos: jest.Mock };
  let purger: AccountPurger;

  beforeEach(() => {
    jobs = new Map([['42', { attempts: 0 }]]);
    const repository = {
      due: jest.fn(async () => [...jobs].map(([user_id, job]) => ({ user_id, attempts: job.attempts }))),
      finish: jest.fn(async (userId: string) => void jobs.delete(userId)),
      retryLater: jest.fn(async (userId: string, attempts: number, lastError: string) => void jobs.set(userId, { attempts, lastError })),
    } as unknown as AccountPurgesRepository;
    notes = { deleteUserNotes: jest.fn(() => of({ deleted: 3 })) };
    todos = { deleteUserTodos: jest.fn(() => of({ deleted: 2 })) };
    const client = (service: object) => ({ getService: () => service }) as unknown as ClientGrpc;
    const config = { get: () => 2_000 } as unknown as ConfigService<Env, true>;
    purger = new AccountPurger(repository, config, client(notes), client(todos), { mint: () => 'identity' } as never);
    purger.onModuleInit();
  });

  it("removes the user's notes and todos, then the job", async () => {
    expect(await purger.runDue()).toBe(1);
    expect(notes.deleteUserNotes).toHaveBeenCalledWith({ userId: '42' }, expect.anything(), expect.anything());
    expect(todos.deleteUserTodos).toHaveBeenCalledWith({ userId: '42' }, expect.anything(), expect.anything());
    expect(jobs.size).toBe(0);
  });

  it('keeps the job with a backoff when a service is down, and finishes it later', async () => {
    todos.deleteUserTodos.mockReturnValueOnce(throwError(() => ({ code: 14, details: 'todos-service unavailable' })));
    expect(await purger.runDue()).toBe(0);
    expect(jobs.get('42')).toEqual({ attempts: 1, lastError: 'todos-service unavailable' });

    expect(await purger.runDue()).toBe(1);
    expect(jobs.size).toBe(0);
  });

  it('backs off exponentially up to five minutes', () => {
    expect([1, 2, 3, 10, 30].map(backoffMs)).toEqual([1_000, 2_000, 4_000, 300_000, 300_000]);
  });
});
