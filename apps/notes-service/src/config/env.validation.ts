/* eslint-disable @typescript-eslint/no-inferrable-types -- explicit types drive env conversion */
import { BaseEnv, CacheEnv, GrpcServerEnv, GrpcTlsEnv, MysqlEnv, RedisEnv, ServiceIdentityEnv, validateEnv } from '@micronote/server-core';
import { IsInt, Max, Min } from 'class-validator';

/** Per-user quotas (trash included): a create, growing update or import past one answers 403 QUOTA_EXCEEDED. */
export class NotesQuotaEnv {
  /** Notes one user may keep. */
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  MAX_NOTES_PER_USER: number = 100_000;

  /** UTF-8 bytes of one user's notes (title + text + tags JSON), default 500 MiB. */
  @IsInt()
  @Min(1_000)
  @Max(1_099_511_627_776)
  MAX_BYTES_PER_USER: number = 524_288_000;
}

export const validate = validateEnv(
  { HTTP_PORT: 3002, GRPC_PORT: 50002, DB_NAME: 'micronote_notes' },
  BaseEnv,
  GrpcTlsEnv,
  ServiceIdentityEnv,
  GrpcServerEnv,
  MysqlEnv,
  RedisEnv,
  CacheEnv,
  NotesQuotaEnv,
);

export type Env = ReturnType<typeof validate>;
