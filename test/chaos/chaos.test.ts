/**
 * Reduced chaos test for CI: 30 scripted inputs, 3 SIGKILLs per scenario, the fake engine (the
 * full version, 300 real files through tesseract, is `npm run test:chaos`). Seeded; the seed is printed.
 */
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { chaosRun, chaosWatch, formatReport, type ChaosOptions } from './chaos';

const seed = Number(process.env.QUIRE_CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const opts: ChaosOptions = { files: 30, kills: 3, seed, engine: 'fake', fakeDelayMs: 40, deadlineMs: 90_000 };

describe(`chaos (seed ${seed}; replay with QUIRE_CHAOS_SEED=${seed})`, () => {
  it('quire run killed with SIGKILL 3 times loses nothing and completes nothing twice', async () => {
    const root = tempDir('quire-chaos-');
    const r = await chaosRun(opts, root);
    process.stdout.write(`${formatReport(r, root)}\n`);
    expect(r.kills).toHaveLength(3);
    // One kill landed in each moment: while files were being added, mid-OCR, right after a commit.
    expect(r.kills.map((k) => k.landed)).toEqual(['ingest', 'ocr', 'commit']);
    expect(r.missing).toEqual([]);
    expect(r.nonTerminal).toEqual([]);
    expect(r.doubleCompleted).toEqual([]);
    expect(r.documents).toBe(30);
    expect(r.completed).toBe(30);
    expect(r.integrity).toBe('ok');
    expect(r.leftoverPids).toEqual([]);
  }, 120_000);

  it('a watched folder host (watch run + worker) killed while files are copied in loses nothing', async () => {
    const root = tempDir('quire-chaos-');
    const r = await chaosWatch(opts, root);
    process.stdout.write(`${formatReport(r, root)}\n`);
    expect(r.kills).toHaveLength(3);
    expect(r.kills.slice(0, 2).map((k) => k.target)).toEqual(['quire watch run', 'quire worker']);
    // The watching host died while files were still being copied in.
    expect(r.kills[0]!.phase).toMatch(/^(\d+)\/30 files copied/);
    expect(Number(/^(\d+)\//.exec(r.kills[0]!.phase)![1])).toBeLessThan(30);
    expect(r.missing).toEqual([]);
    expect(r.nonTerminal).toEqual([]);
    expect(r.doubleCompleted).toEqual([]);
    expect(r.documents).toBe(30);
    expect(r.completed).toBe(30);
    expect(r.integrity).toBe('ok');
    expect(r.leftoverPids).toEqual([]);
  }, 120_000);
});
