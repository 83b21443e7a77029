import { describe, expect, it } from 'vitest';
import { isDamagedStorage, isTransientStorageFault, StorageError } from './errors';
import { classifyPgError } from './postgres/connection';
import { classifySqliteError } from './sqlite/errors';

const kindOf = (e: StorageError | null) => e?.kind ?? null;

describe('storage errors', () => {
  it('PostgreSQL: a server that is down, full, read-only or holding a lock is waited out; other errors are not storage faults', () => {
    for (const code of ['57P01', '08006', 'ECONNRESET', '53200', 'ECONNREFUSED', 'ETIMEDOUT']) expect(kindOf(classifyPgError({ code }))).toBe('unavailable');
    expect(kindOf(classifyPgError({ code: '53100' }))).toBe('full');
    expect(kindOf(classifyPgError({ code: '25006' }))).toBe('read_only');
    expect(kindOf(classifyPgError({ code: '55P03' }))).toBe('busy');
    expect(kindOf(classifyPgError(new Error('Connection terminated unexpectedly')))).toBe('unavailable');
    expect(kindOf(classifyPgError(new Error('timeout exceeded when trying to connect')))).toBe('unavailable');
    for (const code of ['23505', '40P01', '42P01', undefined]) expect(classifyPgError({ code })).toBeNull();
  });

  it('SQLite: full, read-only, busy and damaged by result code; other errors are not storage faults', () => {
    expect(kindOf(classifySqliteError({ code: 'SQLITE_FULL' }))).toBe('full');
    for (const code of ['SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN']) expect(kindOf(classifySqliteError({ code }))).toBe('read_only');
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']) expect(kindOf(classifySqliteError({ code }))).toBe('busy');
    for (const code of ['SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_NOTADB']) expect(kindOf(classifySqliteError({ code }))).toBe('damaged');
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', undefined]) expect(classifySqliteError({ code })).toBeNull();
  });

  it('damage is not a transient fault, and the sentence carries the driver detail', () => {
    const damaged = classifySqliteError({ code: 'SQLITE_CORRUPT', message: 'database disk image is malformed' })!;
    expect(isDamagedStorage(damaged)).toBe(true);
    expect(isTransientStorageFault(damaged)).toBe(false);
    expect(damaged.message).toContain('SQLITE_CORRUPT: database disk image is malformed');
    expect(isTransientStorageFault(classifySqliteError({ code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isTransientStorageFault(new Error('x'))).toBe(false);
  });
});
