/* eslint-disable @typescript-eslint/no-inferrable-types -- explicit types drive env conversion */
import { BaseEnv, CacheEnv, GrpcServerEnv, GrpcTlsEnv, MysqlEnv, RedisEnv, ServiceIdentityEnv, validateEnv } from '@micronote/server-core';
import { IsIn, IsInt, Max, Min } from 'class-validator';

/** Per-user quota: a create or import past it answers 403 QUOTA_EXCEEDED. */
export class TodosQuotaEnv {
  /** Todos one user may keep. */
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  MAX_TODOS_PER_USER: number = 100_000;
}

/** The reminder scheduler of this replica (README "Todos: reminders"). */
export class RemindersEnv {
  /** `false`: this replica answers calls but fires no reminders (another replica does). */
  @IsIn(['true', 'false'], { message: 'REMINDERS_ENABLED must be true or false' })
  REMINDERS_ENABLED: 'true' | 'false' = 'true';

  /** How often the scheduler looks for due reminders (ms): the most a reminder waits past its time. */
  @IsInt()
  @Min(20)
  @Max(60_000)
  REMINDER_POLL_MS: number = 200;

  /** Reminders one poll fires in one transaction (a full batch polls again at once). */
  @IsInt()
  @Min(1)
  @Max(1_000)
  REMINDER_BATCH: number = 200;
}

export const validate = validateEnv(
  { HTTP_PORT: 3003, GRPC_PORT: 50003, DB_NAME: 'micronote_todos' },
  BaseEnv,
  GrpcTlsEnv,
  ServiceIdentityEnv,
  GrpcServerEnv,
  MysqlEnv,
  RedisEnv,
  CacheEnv,
  TodosQuotaEnv,
  RemindersEnv,
);

export type Env = ReturnType<typeof validate>;
