/**
 * The `quire` CLI for process-level tests: the real main() over the real host, with the test
 * worker entry (the real engines plus the scripted one) and shorter timings. These variables are
 * read here, in test code; the product reads none of them:
 *   QUIRE_TEST_ENGINE      the engine workers run: scripted (default) or tesseract
 *   QUIRE_TEST_BACKOFF_MS  base retry delay instead of 10 s
 *   QUIRE_TEST_STALE_MS    stale recovery interval instead of 5 min
 * Run as: node --import <tsx> test/support/quire-cli.ts <args> (see test/pool/cli-helpers.ts).
 */
import { join } from 'node:path';
import { exitQuietlyWhenOutputCloses, main } from '../../src/cli/main';
import { REPO_ROOT } from '../repo-root';
import { testForkSpawner } from './test-spawner';

const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
const env = process.env;

exitQuietlyWhenOutputCloses(process.stdout);
exitQuietlyWhenOutputCloses(process.stderr);
process.exitCode = await main(process.argv.slice(2), undefined, env, {
  workerEntry: join(REPO_ROOT, 'test', 'support', 'test-worker.ts'),
  spawner: testForkSpawner(),
  engine: env.QUIRE_TEST_ENGINE || 'scripted',
  backoffBaseMs: num(env.QUIRE_TEST_BACKOFF_MS),
  staleIntervalMs: num(env.QUIRE_TEST_STALE_MS),
});
