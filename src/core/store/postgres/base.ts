/**
 * The PostgreSQL store's connection: the pg pool, migration at start (not awaited by the
 * constructor, so createQuire stays synchronous; every operation awaits it), prepared statements,
 * reads retried on a dropped connection, and transactions on one pooled connection.
 */
import pg from 'pg';
import type { Clock } from '../../clock';
import type { Migration } from '../migrations';
import { describePgError, isConnectionError, prepared, type Queryable, redactUrl, TYPES } from './connection';
import type { PgContext } from './context';
import { migratePostgres } from './migrate';

export interface PgConnectionOptions {
  url: string;
  migrations: readonly Migration[];
  /** Connections in the pool (default 4): one host's callers rarely hold more than a few at once. */
  poolSize?: number;
  /**
   * Wait for the WAL flush at every commit (PostgreSQL's default). Off by default: the same
   * promise as the SQLite store's synchronous=NORMAL. A crash of the database server's machine
   * can lose the last fraction of a second of commits, never corrupt anything; lost claims or
   * completions come back through stale recovery and are redone. With a flush per commit, a
   * worker's claim+complete cycle waits for two disk flushes (one worker: 67-476 cycles/s
   * against ~1,200-1,400 without, on the build machine; docs/notes-pg.md).
   */
  synchronousCommit?: boolean;
}

export abstract class PgBase {
  readonly pool: pg.Pool;
  readonly where: string;
  protected readonly ready: Promise<void>;
  protected readonly ctx: PgContext;
  private closed = false;

  constructor(
    opts: PgConnectionOptions,
    protected readonly clock: Clock,
  ) {
    this.where = redactUrl(opts.url);
    this.pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 4,
      types: TYPES,
      // Notice a server that went away (half-open TCP) and never wait forever for a connection.
      keepAlive: true,
      connectionTimeoutMillis: 15_000,
      // A startup parameter, so it costs no round trip (an `options` in the URL takes precedence).
      ...(opts.synchronousCommit ? {} : { options: '-c synchronous_commit=off' }),
    });
    // An idle client that loses its connection emits 'error' on the pool; without a listener
    // that would crash the process. The next query gets a fresh connection.
    this.pool.on('error', () => {});
    this.ctx = {
      q: (sql, params) => this.q(sql, params),
      read: (sql, params) => this.read(sql, params),
      readPlanned: (sql, params) => this.read(sql, params, false),
      tx: (fn) => this.tx(fn),
      now: () => this.clock.now(),
    };
    this.ready = this.init(opts.migrations);
    this.ready.catch(() => {}); // reported to whoever calls an operation, not as an unhandled rejection
  }

  protected async init(migrations: readonly Migration[]): Promise<void> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await migratePostgres(client, migrations, this.where, this.clock.now());
    } catch (err) {
      throw describePgError(err, this.where);
    } finally {
      client?.release();
    }
  }

  protected async q<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], named = true): Promise<pg.QueryResult<R>> {
    await this.ready;
    return this.pool.query<R>(named ? prepared(sql, params) : { text: sql, values: params });
  }

  /**
   * A read (or an idempotent fold) retried on a broken connection: after a database
   * restart every idle pooled connection fails its next query, and a stats poll should not.
   * Writes are not retried here: whether a lost reply's statement committed is the caller's
   * question (docs/notes-pg.md, connection loss).
   */
  protected async read<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], named = true): Promise<pg.QueryResult<R>> {
    // Each dead idle connection fails once and leaves the pool: at most one retry per connection.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.q<R>(sql, params, named);
      } catch (err) {
        if (!isConnectionError(err) || attempt >= this.pool.options.max) throw err;
      }
    }
  }

  /** One transaction on one pooled connection; a failed COMMIT or ROLLBACK discards the connection. */
  protected async tx<T>(fn: (c: Queryable) => Promise<T>): Promise<T> {
    await this.ready;
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const run: Queryable = { query: (sql, params = []) => client.query(prepared(sql, params)) };
    try {
      await client.query('BEGIN');
      const out = await fn(run);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ready.catch(() => {});
    await this.pool.end();
  }
}
