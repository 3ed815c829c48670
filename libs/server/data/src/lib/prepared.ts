import type { EntityManager, ObjectLiteral } from 'typeorm';

export interface PrepareOptions {
  /** Append `LIMIT :limit` (TypeORM writes a select's LIMIT as a literal and has none for DELETE). */
  limit?: boolean;
  /**
   * Append `RETURNING <this>` to an INSERT or DELETE: MariaDB has it, TypeORM's `mysql` driver
   * offers no expression for it. Column names and expressions only, never input.
   */
  returning?: string;
}

/**
 * A statement made by a TypeORM query builder once and run many times. Building costs tens of
 * microseconds per statement (more than the rest of a list call's own work), so a repository
 * builds each statement shape once, at start-up or on its first use, and a run only binds values:
 * the builder's `:name` parameters, in their order, become mysql2's `?` placeholders. This is
 * what the builder's own `getRawMany()`/`execute()` send, minus the per-call building.
 */
export class Prepared {
  readonly sql: string;
  private readonly names: readonly string[];

  constructor(builder: { getQuery(): string }, options: PrepareOptions = {}) {
    const names: string[] = [];
    let sql = builder.getQuery();
    if (options.limit) sql += ' LIMIT :limit';
    if (options.returning) sql += ` RETURNING ${options.returning}`;
    this.sql = sql.replace(/:(\.\.\.)?([A-Za-z][A-Za-z0-9_]*)/g, (_, spread: string | undefined, name: string) => {
      if (spread) throw new Error(`a prepared statement binds single values, not :...${name}`);
      names.push(name);
      return '?';
    });
    this.names = names;
  }

  /** The positional parameters of one run. */
  params(values: ObjectLiteral): unknown[] {
    return this.names.map((name) => {
      const value: unknown = values[name];
      if (value === undefined) throw new Error(`no value for :${name}`);
      return value;
    });
  }

  /** Rows (a SELECT or a RETURNING) or mysql2's result header (INSERT/UPDATE/DELETE). */
  run<T>(manager: EntityManager, values: ObjectLiteral): Promise<T> {
    return manager.query(this.sql, this.params(values));
  }
}

/** What mysql2 answers to an INSERT, UPDATE or DELETE without RETURNING. */
export interface WriteResult {
  insertId: number | string;
  affectedRows: number;
}
