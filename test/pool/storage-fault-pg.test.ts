import { describe, expect, it } from 'vitest';
import { isStorageFault } from '../../src/core/pool/supervisor';

describe('storage faults on PostgreSQL', () => {
  it('waits out a server that is down, full or read-only, like a full SQLite disk', () => {
    for (const code of ['57P01', '08006', 'ECONNRESET', '53100', '53200', '25006', 'ECONNREFUSED', 'ETIMEDOUT']) expect(isStorageFault({ code })).toBe(true);
    expect(isStorageFault(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStorageFault(new Error('timeout exceeded when trying to connect'))).toBe(true);
    for (const code of ['23505', '40P01', '42P01', undefined]) expect(isStorageFault({ code })).toBe(false);
    expect(isStorageFault({ code: 'SQLITE_FULL' })).toBe(true);
  });
});
