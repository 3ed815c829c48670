import type { DynamicModule, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Injectable, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createConnection } from 'mysql2/promise';
import type { DataSourceOptions, MixedList } from 'typeorm';
import { DataSource } from 'typeorm';

import type { MysqlEnv } from '../config/env';
import { trackDbPool } from '../metrics/component-metrics';

type MysqlConnectionOptions = Extract<DataSourceOptions, { type: 'mysql' | 'mariadb' }>;

export interface DatabaseSpec {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/** TypeORM options for a service's own MySQL database: no synchronize, UTC, utf8mb4, ids as strings. */
export function mysqlOptions(env: Pick<MysqlEnv, 'MYSQL_URL' | 'DB_NAME' | 'DB_POOL_SIZE'>, spec: DatabaseSpec): MysqlConnectionOptions {
  const url = new URL(env.MYSQL_URL);
  url.pathname = `/${env.DB_NAME}`;
  return {
    type: 'mysql',
    url: url.toString(),
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: 2_000,
    poolSize: env.DB_POOL_SIZE,
    extra: { enableKeepAlive: true, waitForConnections: true, queueLimit: 0 },
  };
}

/** Creates the service's database when it does not exist yet. */
export async function ensureDatabase(env: Pick<MysqlEnv, 'MYSQL_URL' | 'DB_NAME'>): Promise<void> {
  const connection = await createConnection({ uri: env.MYSQL_URL, connectTimeout: 5_000 });
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${env.DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}

/** Creates the database if needed and applies pending migrations, each in its own transaction. */
export async function runMigrations(env: Pick<MysqlEnv, 'MYSQL_URL' | 'DB_NAME' | 'DB_POOL_SIZE'>, spec: DatabaseSpec): Promise<string[]> {
  await ensureDatabase(env);
  const dataSource = new DataSource({ ...mysqlOptions(env, spec), poolSize: 1 });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    const names = applied.map((m) => m.name);
    new Logger('Migrations').log(`${env.DB_NAME}: ${names.length ? `applied ${names.join(', ')}` : 'up to date'}`);
    return names;
  } finally {
    await dataSource.destroy();
  }
}

/** The parts of mysql2's pool (its own fields, stable since mysql2 1.x) that tell how busy it is. */
interface Mysql2Pool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

/** Publishes the TypeORM DataSource's MySQL pool as micronote_db_pool_connections{state}. */
@Injectable()
class DbPoolMetrics implements OnModuleInit, OnModuleDestroy {
  private untrack?: () => void;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.untrack = trackDbPool(() => {
      const pool = (this.dataSource.driver as { pool?: Mysql2Pool }).pool;
      if (!this.dataSource.isInitialized || !pool?._allConnections) return undefined;
      return {
        total: pool._allConnections.length,
        idle: pool._freeConnections?.length ?? 0,
        waiting: pool._connectionQueue?.length ?? 0,
        limit: pool.config?.connectionLimit ?? 0,
      };
    });
  }

  onModuleDestroy(): void {
    this.untrack?.();
  }
}

@Module({})
class DatabaseModule {}

/** TypeOrmModule for the service's database, configured from MYSQL_URL / DB_NAME / DB_POOL_SIZE, plus its pool metrics. */
export function databaseModule(spec: DatabaseSpec): DynamicModule {
  return {
    module: DatabaseModule,
    imports: [typeOrmRoot(spec)],
    providers: [DbPoolMetrics],
  };
}

function typeOrmRoot(spec: DatabaseSpec): DynamicModule {  return TypeOrmModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<MysqlEnv, true>) => ({
      ...mysqlOptions(
        {
          MYSQL_URL: config.get('MYSQL_URL', { infer: true }),
          DB_NAME: config.get('DB_NAME', { infer: true }),
          DB_POOL_SIZE: config.get('DB_POOL_SIZE', { infer: true }),
        },
        spec,
      ),
      retryAttempts: 30,
      retryDelay: 1_000,
    }),
  });
}
