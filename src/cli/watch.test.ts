import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/helpers';
import { freshDir, openStore, waitFor } from '../../test/watch-support';
import { main } from './main';

let tmp: ReturnType<typeof freshDir>;
let data: string;
let inbox: string;
beforeEach(() => {
  tmp = freshDir('quire-cli-watch-');
  data = join(tmp.dir, 'data');
  inbox = join(tmp.dir, 'inbox');
  mkdirSync(inbox);
});
afterEach(() => tmp.cleanup());

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function quire(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await main([...args, '--data-dir', data], { out: out.stream, err: err.stream }, {});
  return { code, out: out.text(), err: err.text() };
}

describe('quire watch', () => {
  it('adds, lists and removes folders, with clear refusals', async () => {
    const added = await quire('watch', 'add', inbox, '--poll', '--ignore', '*.bak.png', '--ignore', 'drafts', '--txt', '--output-dir', join(inbox, 'out'));
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/Watching .*inbox \(polling\)/);
    expect(added.out).toMatch(/excluded from watching/);

    const listed = await quire('watch', 'list');
    expect(listed.out).toMatch(/inbox\s+stopped\s+poll\s+setting\s+\*\.bak\.png drafts\s+txt -> .*out/);
    const json = JSON.parse((await quire('watch', 'list', '--json')).out) as { path: string; poll: boolean }[];
    expect(json).toEqual([expect.objectContaining({ path: inbox, poll: true, ignore: ['*.bak.png', 'drafts'] })]);

    expect(await quire('watch', 'add', inbox)).toMatchObject({ code: 1, err: expect.stringMatching(/already a watched folder/) });
    expect(await quire('watch', 'add', join(tmp.dir, 'missing'))).toMatchObject({ code: 1, err: expect.stringMatching(/No such folder/) });
    expect(await quire('watch', 'add', tmp.dir)).toMatchObject({ code: 1, err: expect.stringMatching(/contains the watched folder/) });
    mkdirSync(join(tmp.dir, 'other'));
    expect(await quire('watch', 'add', join(tmp.dir, 'other'), '--ignore', '[x')).toMatchObject({ code: 1, err: expect.stringMatching(/not a valid glob/) });
    expect(await quire('watch', 'frobnicate')).toMatchObject({ code: 2, err: expect.stringMatching(/Usage: quire watch add/) });

    expect(await quire('watch', 'remove', inbox)).toMatchObject({ code: 0, out: expect.stringMatching(/No longer watching/) });
    expect(await quire('watch', 'remove', inbox)).toMatchObject({ code: 1, err: expect.stringMatching(/not a watched folder/) });
    expect((await quire('watch', 'list')).out).toMatch(/No watched folders/);
  });

  it('`watch run` watches and enqueues until stopped by a signal', async () => {
    expect((await quire('watch', 'add', inbox)).code).toBe(0);
    writeFileSync(join(inbox, 'before.png'), 'found by the rescan');
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'quire.js'), 'watch', 'run', '--data-dir', data], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (out += String(c)));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor('watching', () => out.includes('Stop with Ctrl+C'), 30_000);
      writeFileSync(join(inbox, 'after.png'), 'found by the watcher');
      // The default 2 s stability threshold applies here: this is the command as users run it.
      await waitFor('after.png enqueued', () => out.includes(`enqueued: ${join(inbox, 'after.png')}`), 30_000);
      expect(out).toContain(`enqueued: ${join(inbox, 'before.png')}`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('Stopped watching.');
    const store = openStore(data);
    try {
      expect((await store.stats()).pending).toBe(2);
      expect((await store.listWatchedFolders())[0]!.state).toBe('stopped');
    } finally {
      await store.close();
    }
  });
});
