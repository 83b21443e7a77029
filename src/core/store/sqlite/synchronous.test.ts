import { describe, expect, it } from 'vitest';
import { createQuire } from '../../app';
import { tempDir } from '../../../../test/helpers';
import { readEnvironment } from '../../config/environment';

const sqliteSynchronous = (env: NodeJS.ProcessEnv) => readEnvironment(env).sqliteSynchronous;
import type { SqliteJobStore } from './store';

describe('QUIRE_SQLITE_SYNCHRONOUS', () => {
  it('selects how often the SQLite log is flushed: full by default, normal on request, anything else refused', async () => {
    expect(sqliteSynchronous({})).toBe('full');
    expect(sqliteSynchronous({ QUIRE_SQLITE_SYNCHRONOUS: 'Normal' })).toBe('normal');
    expect(() => sqliteSynchronous({ QUIRE_SQLITE_SYNCHRONOUS: 'off' })).toThrow(/must be "normal" or "full", not "off"/);
    // SQLite's codes: 1 = NORMAL, 2 = FULL.
    for (const [env, code] of [[{}, 2], [{ QUIRE_SQLITE_SYNCHRONOUS: 'normal' }, 1]] as const) {
      const quire = createQuire({ dataDir: tempDir(), env });
      try {
        expect((quire.store as SqliteJobStore).db.pragma('synchronous', { simple: true })).toBe(code);
      } finally {
        await quire.close();
      }
    }
  });
});
