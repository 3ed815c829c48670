import type { DataSource, EntityManager, EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

import { inChunks } from './imports';
import type { WriteResult } from './prepared';
import { Prepared } from './prepared';
import type { UsageQuota } from './usage-quota';

/** The columns of a user's rows every twin table has. */
interface OwnedRow {
  id: string;
  user_id: string;
  created_at: Date;
}

/** Column values of one insert or update, by column name (already in their SQL form: sqlTime, JSON text, 0/1). */
export type ColumnValues = Record<string, unknown>;

export interface OwnedTable<New> {
  /** The entity class of the table (its columns named as in SQL via `name:`). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entity: Function;
  /** The columns a row is read with, in the row type's (snake_case) names. */
  columns: readonly string[];
  /** The columns an update sets (besides the keys). */
  updates: readonly string[];
  /** Columns an insert writes besides `updates` and created_at (never changed afterwards: who created it). */
  insertOnly?: readonly string[];
  /** A row's column values as an insert or update writes them. */
  values: (row: New) => ColumnValues;
}

/** A statement bound to its values: what EXPLAIN tests read, what `rowsOf` runs. */
export interface BoundQuery {
  sql: string;
  params: unknown[];
}

/**
 * The one way the twin services (notes, todos) read and write rows that belong to a user, with
 * TypeORM's query builder: every statement by id is scoped to the user (`id = :id AND user_id =
 * :userId`), creates with an Idempotency-Key and imports are idempotent through the
 * (user_id, import_key) unique index, exports read id-ordered batches, a user's rows go in
 * batches. Statements are built once (see Prepared); methods take the user id first and the
 * transaction's manager last (the data source's own outside one).
 */
export abstract class OwnedRows<Row extends OwnedRow, New, ListQuery> {
  protected readonly metadata: EntityMetadata;
  private readonly findById: Prepared;
  private readonly lockById: Prepared;
  private readonly findByKey: Prepared;
  private readonly insertOne: Prepared;
  private readonly insertOnce: Prepared;
  private readonly updateById: Prepared;
  private readonly deleteById: Prepared;
  private readonly exportAfter: Prepared;
  private readonly deleteOfUser: Prepared;
  /** Keyset statements by shape (which filters are present), built on first use. */
  private readonly shapes = new Map<string, Prepared>();

  protected constructor(
    protected readonly dataSource: DataSource,
    protected readonly table: OwnedTable<New>,
    /** Per-user quotas, changed by every write in its own transaction. */
    readonly usage: UsageQuota,
  ) {
    this.metadata = dataSource.getMetadata(table.entity);
    const byId = () => this.select('r').where('r.id = :id AND r.user_id = :userId');
    this.findById = new Prepared(byId());
    this.lockById = new Prepared(byId().setLock('pessimistic_write'));
    this.findByKey = new Prepared(this.select('r').where('r.user_id = :userId AND r.import_key = :importKey'));
    const insert = () =>
      this.dataSource
        .createQueryBuilder()
        .insert()
        .into(table.entity)
        .values(this.placeholders(['user_id', 'import_key', ...this.insertColumns()]))
        .updateEntity(false);
    this.insertOne = new Prepared(insert());
    this.insertOnce = new Prepared(insert().orIgnore());
    this.updateById = new Prepared(
      this.dataSource
        .createQueryBuilder()
        .update(table.entity)
        .set(this.placeholders(table.updates))
        .where('id = :id AND user_id = :userId'),
    );
    this.deleteById = new Prepared(
      this.dataSource.createQueryBuilder().delete().from(table.entity).where('id = :id AND user_id = :userId'),
    );
    this.exportAfter = new Prepared(this.select('r').where('r.user_id = :userId AND r.id > :afterId').orderBy('r.id', 'ASC'), {
      limit: true,
    });
    this.deleteOfUser = new Prepared(this.dataSource.createQueryBuilder().delete().from(table.entity).where('user_id = :userId'), {
      limit: true,
    });
  }

  /** For single statements, which need no transaction of their own. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * A transaction at the server's default isolation (REPEATABLE READ): one round trip fewer than
   * setting one; or at `isolation` (READ COMMITTED: an UPDATE does not wait for, nor lock, rows
   * another transaction holds that its WHERE turns out not to match).
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, isolation?: 'READ COMMITTED'): Promise<T> {
    return isolation ? this.dataSource.transaction(isolation, work) : this.dataSource.transaction(work);
  }

  /** A select of the row columns under `alias`, each named as in the row type, from the table (or what `from` joins). */
  protected select(
    alias: string,
    from: (builder: SelectQueryBuilder<ObjectLiteral>) => SelectQueryBuilder<ObjectLiteral> = (builder) =>
      builder.from(this.table.entity, alias),
  ): SelectQueryBuilder<ObjectLiteral> {
    const builder = from(this.dataSource.createQueryBuilder());
    for (const column of this.table.columns) builder.addSelect(`${alias}.${column}`, column);
    return builder;
  }

  /** The statement of one shape (built once, by `build`: a query builder, or its SQL reworded; with `LIMIT :limit`), bound to `values`. */
  protected keysetQuery(shape: string, build: () => { getQuery(): string }, values: ObjectLiteral): BoundQuery {
    let statement = this.shapes.get(shape);
    if (!statement) {
      statement = new Prepared(build(), { limit: true });
      this.shapes.set(shape, statement);
    }
    return { sql: statement.sql, params: statement.params(values) };
  }

  /** The default list's keyset page for `query` (one built statement per shape), bound. */
  abstract listSql(query: ListQuery): BoundQuery;

  /** A keyset page of the default list. */
  list(query: ListQuery): Promise<Row[]> {
    return this.rowsOf(this.listSql(query));
  }

  /** The rows of a bound select. */
  protected rowsOf(query: BoundQuery): Promise<Row[]> {
    return this.manager.query(query.sql, query.params);
  }

  async find(userId: string, id: string, manager: EntityManager = this.manager): Promise<Row | undefined> {
    const rows = await this.findById.run<Row[]>(manager, { userId, id });
    return rows[0];
  }

  /** The row, locked for the rest of the caller's transaction. */
  async findForUpdate(userId: string, id: string, manager: EntityManager): Promise<Row | undefined> {
    const rows = await this.lockById.run<Row[]>(manager, { userId, id });
    return rows[0];
  }

  /** The row an earlier create with the same request key (see requestKeyOf) or an import made, if any. */
  async findByImportKey(userId: string, importKey: string, manager: EntityManager = this.manager): Promise<Row | undefined> {
    const rows = await this.findByKey.run<Row[]>(manager, { userId, importKey });
    return rows[0];
  }

  /** Inserts a row; with an import key, a row the user already has under that key is kept and null returned. */
  async insert(userId: string, row: New, importKey: string | null, manager: EntityManager): Promise<string | null> {
    const statement = importKey === null ? this.insertOne : this.insertOnce;
    const result = await statement.run<WriteResult>(manager, { ...this.table.values(row), user_id: userId, import_key: importKey });
    return result.affectedRows > 0 ? String(result.insertId) : null;
  }

  /** Inserts rows in one statement; one whose import key the user already has is skipped. Returns those inserted, with their ids. */
  async insertImported(
    userId: string,
    rows: readonly { key: string; row: New }[],
    manager: EntityManager,
  ): Promise<{ id: string; key: string }[]> {
    if (rows.length === 0) return [];
    const [sql, params] = this.dataSource
      .createQueryBuilder()
      .insert()
      .into(this.table.entity)
      .values(rows.map(({ key, row }) => this.byProperty({ ...this.table.values(row), user_id: userId, import_key: key })))
      .orIgnore()
      .updateEntity(false)
      .getQueryAndParameters();
    // RETURNING: MariaDB's, for the rows this statement inserted (TypeORM's mysql driver has no expression for it).
    const inserted: { id: string | number; import_key: string }[] = await manager.query(`${sql} RETURNING id, import_key`, params);
    return inserted.map((r) => ({ id: String(r.id), key: r.import_key }));
  }

  /** Writes a changed row: every update column, on the user's row `row.id` only. */
  async update(userId: string, row: Row & New, manager: EntityManager): Promise<void> {
    await this.updateById.run(manager, { ...this.table.values(row), id: row.id, userId });
  }

  /** Deletes the user's row `id`; false when there was none. */
  async delete(userId: string, id: string, manager: EntityManager): Promise<boolean> {
    const result = await this.deleteById.run<WriteResult>(manager, { id, userId });
    return result.affectedRows > 0;
  }

  /** A batch of the user's rows after `afterId`, in id order (exports). */
  exportBatch(userId: string, afterId: string, limit: number): Promise<Row[]> {
    return this.exportAfter.run(this.manager, { userId, afterId, limit });
  }

  /** Which of these import keys / original rows (as `<id>:<createdAt ISO>`) the user already has. */
  async existingImports(userId: string, keys: readonly string[], originalIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of inChunks(keys)) {
      const rows: { import_key: string }[] = await this.dataSource
        .createQueryBuilder()
        .select('r.import_key', 'import_key')
        .from(this.table.entity, 'r')
        .where('r.user_id = :userId AND r.import_key IN (:...chunk)', { userId, chunk })
        .getRawMany();
      rows.forEach((r) => found.add(r.import_key));
    }
    for (const chunk of inChunks(originalIds)) {
      const rows: { id: string; created_at: Date }[] = await this.dataSource
        .createQueryBuilder()
        .select('r.id', 'id')
        .addSelect('r.created_at', 'created_at')
        .from(this.table.entity, 'r')
        .where('r.user_id = :userId AND r.id IN (:...chunk)', { userId, chunk })
        .getRawMany();
      rows.forEach((r) => found.add(`${r.id}:${r.created_at.toISOString()}`));
    }
    return found;
  }

  /** Deletes up to `limit` rows of a user; returns how many. Once none are left, their usage row goes too. */
  async deleteUserBatch(userId: string, limit: number): Promise<number> {
    const result = await this.deleteOfUser.run<WriteResult>(this.manager, { userId, limit });
    if (result.affectedRows === 0) await this.usage.forget(userId, this.manager);
    return result.affectedRows;
  }

  /** The insert columns: every updatable one plus created_at. */
  private insertColumns(): string[] {
    return [...new Set([...this.table.updates, ...(this.table.insertOnly ?? []), 'created_at'])];
  }

  /** `{ property: () => ':column' }`: the builder writes the parameter, Prepared binds it. */
  private placeholders(columns: readonly string[]): ObjectLiteral {
    const values: ObjectLiteral = {};
    for (const column of columns) values[this.property(column)] = () => `:${column}`;
    return values;
  }

  private byProperty(values: ColumnValues): ObjectLiteral {
    const result: ObjectLiteral = {};
    for (const [column, value] of Object.entries(values)) result[this.property(column)] = value;
    return result;
  }

  private property(column: string): string {
    const found = this.metadata.findColumnWithDatabaseName(column);
    if (!found) throw new Error(`${this.metadata.tableName} has no column ${column}`);
    return found.propertyName;
  }
}
