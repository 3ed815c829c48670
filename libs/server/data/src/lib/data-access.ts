import type { DataSource, EntityManager } from 'typeorm';

/**
 * The base of a repository on one data source: its default manager (outside a transaction) and
 * `transaction`, so the twins' repositories do not each write them.
 */
export abstract class DataAccess {
  constructor(protected readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
