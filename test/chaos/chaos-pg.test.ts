/**
 * Reduced PostgreSQL chaos for CI: 30 scripted inputs, 3 `quire worker` hosts on one PostgreSQL
 * database, one of them SIGKILLed 2 times mid-run and restarted (the full size:
 * `npm run test:chaos -- --database-url postgres://...`). Seeded; the seed is printed.
 */
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { createTestDatabase, PG_SKIP_REASON, PG_URL } from '../pg';
import { formatReport } from './chaos';
import { chaosPgWorkers } from './chaos-pg';

const seed = Number(process.env.QUIRE_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe.skipIf(!PG_URL)(`chaos on PostgreSQL (seed ${seed}; replay with QUIRE_CHAOS_SEED=${seed})${PG_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
  it('3 quire worker hosts, one SIGKILLed mid-run and restarted: nothing lost, nothing completed twice', async () => {
    const url = await createTestDatabase();
    const root = tempDir('quire-chaos-pg-');
    const r = await chaosPgWorkers({ files: 30, kills: 2, seed, engine: 'fake', fakeDelayMs: 150, deadlineMs: 60_000, databaseUrl: url, workers: 3 }, root);
    process.stdout.write(`${formatReport(r, root)}\n`);
    expect(r.kills.length).toBeGreaterThanOrEqual(1);
    expect(r.missing).toEqual([]);
    expect(r.nonTerminal).toEqual([]);
    expect(r.doubleCompleted).toEqual([]);
    expect(r.documents).toBe(30);
    expect(r.completed).toBe(30);
    expect(r.completedJobs).toBe(30);
    expect(r.leftoverPids).toEqual([]);
  }, 90_000);
});
