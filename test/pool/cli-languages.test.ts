/** `--lang` through the real CLI processes: chosen per run, recorded on the document, a bad one refused with the list. */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { cliEnv, quire, taggedPids, writeScripts } from './cli-helpers';
import { openStore } from './harness';

describe('quire run --lang (fake engine)', () => {
  it('reads the files with the chosen languages, again when asked for others, and refuses a language that is not installed', async () => {
    const root = tempDir();
    const scans = join(root, 'scans');
    const data = join(root, 'data');
    const tag = `cli-lang-${process.pid}-${Date.now()}`;
    const env = cliEnv(tag);
    const [brief] = writeScripts(scans, { 'brief.png': 'text Sehr geehrte Damen und Herren' });
    const languagesOf = (path: string) => {
      const store = openStore(data);
      try {
        return store.db.prepare<[string], { ocr_languages: string | null }>('SELECT ocr_languages FROM documents WHERE path = ?').get(path)?.ocr_languages;
      } finally {
        store.db.close();
      }
    };

    const bad = await quire(['run', scans, '--lang', 'deu+xyz', '--data-dir', data], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Invalid --lang "deu\+xyz": OCR language not installed: xyz \(available: [a-z_, ]*deu, [a-z_, ]*eng/);
    expect(bad.stderr).toContain('quire languages --add');
    expect(taggedPids(tag)).toEqual([]);

    const run = await quire(['run', scans, '--lang', ' deu + eng ', '--data-dir', data], env);
    expect(run.stderr).toContain('1 enqueued');
    expect(run.code).toBe(0);
    expect(languagesOf(brief!)).toBe('deu+eng');

    // Unchanged and asked for the same languages: nothing to do; for others: read again with them.
    const same = await quire(['run', scans, '--lang', 'deu+eng', '--data-dir', data], env);
    expect(same.stderr).toContain('0 enqueued, 1 unchanged');
    const other = await quire(['run', scans, '--lang', 'fra', '--data-dir', data], env);
    expect(other.code).toBe(0);
    expect(other.stderr).toContain('1 enqueued');
    expect(languagesOf(brief!)).toBe('fra');

    // Without --lang: the setting (eng by default).
    const plain = join(root, 'plain');
    mkdirSync(plain);
    copyFileSync(brief!, join(plain, 'copy.png'));
    expect((await quire(['run', plain, '--data-dir', data], env)).code).toBe(0);
    expect(languagesOf(join(plain, 'copy.png'))).toBe('eng');

    // A damaged file read with --lang, then replaced: requeued, it is read in those languages again.
    const damaged = join(root, 'damaged');
    const [letter] = writeScripts(damaged, { 'letter.png': 'fail corrupt_file' });
    expect((await quire(['run', damaged, '--lang', 'deu', '--data-dir', data], env)).code).toBe(1);
    writeScripts(damaged, { 'letter.png': 'text Brief, repariert' });
    const requeued = await quire(['requeue', '--failed', '--data-dir', data], env);
    expect(requeued.stdout).toBe('1 requeued.\n');
    expect((await quire(['run', damaged, '--data-dir', data], env)).code).toBe(0);
    expect(languagesOf(letter!)).toBe('deu');
    expect(taggedPids(tag)).toEqual([]);
  });
});
