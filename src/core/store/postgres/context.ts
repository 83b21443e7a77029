/** What the PostgreSQL store's helper modules (watch, listings) need from PgJobStore. */
import type pg from 'pg';
import type { Queryable } from './connection';

export interface PgContext {
  /** One statement, not retried. */
  q<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** A read, retried on a connection the server dropped. */
  read<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /**
   * A read planned for its parameter values on every call (an unnamed statement): for queries
   * whose best plan depends on them, where a cached generic plan can be slow.
   */
  readPlanned<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** One transaction on one pooled connection. */
  tx<T>(fn: (c: Queryable) => Promise<T>): Promise<T>;
  now(): number;
}
