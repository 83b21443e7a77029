/** The pool, search, text and watched folders end to end on PostgreSQL: real `quire` processes, the fake engine. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { createTestDatabase, PG_SKIP_REASON, PG_URL } from '../pg';
import { cliEnv, quire, taggedPids, writeScripts } from './cli-helpers';

describe.skipIf(!PG_URL)(`quire run / search / text / watch with --database-url${PG_URL ? '' : ` (skipped: ${PG_SKIP_REASON})`}`, () => {
  it('processes a folder into PostgreSQL and serves the results from there', async () => {
    const url = await createTestDatabase();
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-pg-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag, { DATABASE_URL: url });
    writeScripts(scans, {
      'a.png': 'pages 2\ntext alpha marsupial quokka',
      'deep/crash-once.png': 'crash 1\ntext delta bilby',
      'deep/broken.png': 'fail corrupt_file',
    });
    const run = await quire(['run', scans, '--data-dir', data, '--concurrency', '2'], env);
    expect(run.stderr).not.toMatch(/quire:/);
    expect(run.stdout).toContain('2 files completed, 1 failed');
    expect(run.code).toBe(1);
    expect(taggedPids(tag)).toEqual([]);

    const text = await quire(['text', join(scans, 'a.png'), '--data-dir', data], env);
    expect(text.stdout).toBe('alpha marsupial quokka\falpha marsupial quokka\n');
    const json = await quire(['search', 'bil*', '--json', '--data-dir', data], env);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ path: join(scans, 'deep', 'crash-once.png') })]);
    const odd = await quire(['search', 'NEAR(', '"quokka', 'OR', 'a:b', '--data-dir', data], env);
    expect(odd.code).toBe(1);
    expect(odd.stderr).toContain('No matches.');

    const add = await quire(['watch', 'add', scans, '--txt', '--data-dir', data], env);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    // The folder is in PostgreSQL: another data folder (another host) sees it.
    const list = await quire(['watch', 'list', '--json', '--data-dir', join(root, 'other-host')], env);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ path: scans, outputs: { txt: true, pdf: false, dir: null } })]);
  });
});
