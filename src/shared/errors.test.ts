import { describe, expect, it } from 'vitest';
import { ERROR_KINDS, failureRemedy, FIX_FILE_KINDS, isPermanent } from './errors';

describe('failure remedies', () => {
  it('splits every kind into "fix the file" and "retry may help", in one table the retry rule shares', () => {
    expect([...FIX_FILE_KINDS].sort()).toEqual(['corrupt_file', 'file_missing', 'password_protected', 'permission_denied', 'too_large', 'unsupported_format']);
    for (const k of ['timeout', 'worker_crashed', 'out_of_memory', 'engine_error'] as const) expect(failureRemedy(k)).toBe('retry');
    for (const k of ERROR_KINDS) expect(isPermanent(k)).toBe(failureRemedy(k) === 'fix_file');
    // A failure recorded without a kind (older versions) may be retried.
    expect(failureRemedy(null)).toBe('retry');
    expect(failureRemedy('no_such_kind')).toBe('retry');
  });
});
