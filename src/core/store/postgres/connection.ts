/**
 * The pg driver side of the PostgreSQL store: value parsing, prepared statements, and turning
 * driver errors into messages a person can act on.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { QuireError } from '../../../shared/errors';
import { StorageError } from '../errors';

/** BIGINT and NUMERIC arrive as strings by default; every such value Quire stores (epoch ms,
 * sizes, counts) is far below 2^53, so numbers are exact. Scoped to our pools, not global. */
const toNumber = (v: string) => Number(v);
export const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === 20 || oid === 1700) return toNumber;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured PostgreSQL database';
  }
}

export function describePgError(err: unknown, where: string): QuireError {
  if (err instanceof QuireError) return err;
  const e = err as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH') {
    return new QuireError(
      'database_unreachable',
      `Cannot connect to the PostgreSQL database at ${where} (${e.code}). Check that the server runs and the URL is right.`,
      { cause: err },
    );
  }
  if (e.code === '3D000') {
    return new QuireError('database_missing', `The PostgreSQL database at ${where} does not exist; create it first (createdb).`, {
      cause: err,
    });
  }
  if (e.code === '28P01' || e.code === '28000') {
    return new QuireError('database_auth', `PostgreSQL refused the login for ${where}: ${e.message}.`, { cause: err });
  }
  return new QuireError('database_error', `PostgreSQL error at ${where}: ${e.message ?? String(err)}.`, { cause: err });
}

/** A connection inside a transaction, running named (prepared) statements. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * Every statement runs as a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every call. Planning the claim and completion statements (CTEs,
 * triggers) cost more server time than running them. Names derive from the text, so a name
 * always means one statement.
 */
const statementNames = new Map<string, string>();
export function prepared(text: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(text);
  if (!name) {
    name = `quire_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/**
 * The connection broke (server restarted, connection terminated, network): the statement may
 * not have run at all. Pooled connections that died while idle report it on their next query.
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  return (
    code.startsWith('08') || // connection exception class
    ['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE'].includes(code) || // admin/crash shutdown, reset
    /Connection terminated/i.test(e.message ?? '')
  );
}

/**
 * The driver's errors as the storage kinds the rest of Quire sees. PostgreSQL cannot take writes
 * for now but will again without anything changing in Quire: the connection is gone (server
 * restarting, network), the server's disk is full or it is out of resources (SQLSTATE class 53),
 * or it is a read-only standby (25006). The pool treats these like a full or read-only SQLite
 * disk: wait and retry, never drop a result.
 */
export function classifyPgError(err: unknown): StorageError | null {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = String(e?.code ?? '');
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const detail = `${code || 'error'}: ${message}`;
  if (code === '53100') return new StorageError('full', detail, { cause: err });
  if (code === '25006') return new StorageError('read_only', detail, { cause: err });
  if (code === '55P03') return new StorageError('busy', detail, { cause: err });
  if (
    isConnectionError(err) ||
    code.startsWith('53') ||
    // The server is down or out of reach while a host runs (a new connection is refused or times out).
    ['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', '57P03'].includes(code) ||
    /timeout exceeded when trying to connect/i.test(message)
  ) {
    return new StorageError('unavailable', detail, { cause: err });
  }
  return null;
}
