/**
 * Bounded fuzz run for CI (the larger one: `npm run test:fuzz -- --cases 20000`): mutated fixtures
 * through every reader of user bytes, in a child process, one input at a time; then a few dozen
 * through real worker processes with the real engine. Seeded; the seed is printed. A reader that
 * hangs shows as the test's timeout (the child runs the synchronous code, so this process's timer
 * still fires), and the input running then is printed for replay.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isPermanent, type ErrorKind } from '../../src/shared/errors';
import { tempDir } from '../helpers';
import { OCR_FIXTURES, rng } from '../chaos/inputs';
import { cliEnv, startQuire, taggedPids } from '../pool/cli-helpers';
import { formatFuzz, fuzz, FuzzChild, FUZZ_SEEDS, mutate } from './fuzz';
import type { Target } from './targets';

const seed = Number(process.env.QUIRE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const child = new FuzzChild();

afterEach(() => {
  if (child.current) {
    const { target, c } = child.current;
    process.stdout.write(`fuzz ${target} stopped while reading ${c.seed} (${c.how}, ${c.bytes.length} bytes); replay with QUIRE_FUZZ_SEED=${seed}\n`);
    child.kill();
  }
});
afterAll(() => child.kill());

// Sizes for CI: ~1 s per 100 inputs for the object reader, far less for the small decoders, ~0.35 s
// per input through pdfjs. The timeouts are only there to turn a hang into a failure.
const SIZES: [Target, number, number][] = [
  ['objects', 2000, 120_000],
  ['content', 3000, 60_000],
  ['bmp', 2000, 60_000],
  ['pnm', 3000, 60_000],
  ['image', 1500, 120_000],
  ['pdf', 100, 240_000],
];

describe(`fuzz (seed ${seed}; replay with QUIRE_FUZZ_SEED=${seed})`, () => {
  for (const [target, cases, timeout] of SIZES) {
    it(`${target}: ${cases} mutated inputs each read or fail with a kind; none hangs or crashes`, async () => {
      const r = await fuzz(child, { target, cases, seed });
      process.stdout.write(`${formatFuzz(r)}\n`);
      expect(r.unclassified).toEqual([]);
      expect(r.crashed).toEqual([]);
      expect(r.ok + Object.values(r.failedByKind).reduce((a, b) => a + b, 0)).toBe(cases);
    }, timeout);
  }

  it('30 mutated files through real workers and the real engine all end terminal, at the first attempt', async () => {
    const root = tempDir('quire-fuzz-');
    const dir = join(root, 'in');
    const data = join(root, 'data');
    const random = rng(seed ^ 0xf022);
    mkdirSync(dir);
    // Images only: they are the cheap ones to OCR; PDFs are covered in-process above.
    const images = FUZZ_SEEDS.filter((f) => !f.endsWith('.pdf') && !f.includes('phototest'));
    for (let i = 0; i < 30; i++) {
      const f = images[i % images.length]!;
      const { bytes } = mutate(readFileSync(join(OCR_FIXTURES, f)), random);
      writeFileSync(join(dir, `m${String(i).padStart(2, '0')}-${f}`), Buffer.concat([bytes, Buffer.from(` ${i}`)]));
    }
    const tag = `fuzz-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag, { QUIRE_DATA_DIR: data, OCR_TIMEOUT_SECONDS: '60' });
    env.QUIRE_TEST_ENGINE = 'tesseract';
    const run = await startQuire(['run', dir, '--concurrency', '2'], env).done;
    expect([0, 1]).toContain(run.code);
    expect(taggedPids(tag)).toEqual([]);
    const db = new Database(join(data, 'quire.db'), { readonly: true });
    const rows = db
      .prepare('SELECT d.path, d.ocr_status AS status, d.ocr_error_kind AS kind, q.attempts FROM documents d JOIN ocr_queue q ON q.document_id = d.id')
      .all() as { path: string; status: string; kind: string | null; attempts: number }[];
    db.close();
    expect(rows).toHaveLength(30);
    for (const r of rows) {
      const ended = r.status === 'completed' || (r.status === 'failed' && isPermanent(r.kind as ErrorKind));
      expect({ ...r, ended }).toEqual({ ...r, ended: true, attempts: 1 });
    }
    process.stdout.write(
      `fuzz through workers: ${rows.filter((r) => r.status === 'completed').length} completed, ${rows.filter((r) => r.status === 'failed').length} failed\n`,
    );
  }, 180_000);
});
