/**
 * Run the `quire` CLI as a real child process: the test launcher (test/support/quire-cli.ts: the
 * real main() with the scripted engine available and short timings), or the built command
 * (bin/quire.js) where a test is about what users run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../repo-root';
import { TSX_LOADER } from '../support/test-spawner';

/** The built command, as users run it. */
export const QUIRE_BIN = join(REPO_ROOT, 'bin', 'quire.js');
/** node arguments that start the test launcher. */
export const QUIRE_TEST_CLI = ['--import', TSX_LOADER, join(REPO_ROOT, 'test', 'support', 'quire-cli.ts')];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Every process started for a test carries this tag in its environment, so leftovers can be found. */
export function cliEnv(tag: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    QUIRE_TEST_ENGINE: 'scripted',
    QUIRE_TEST_BACKOFF_MS: '20',
    QUIRE_TEST_TAG: tag,
    OCR_CONCURRENT_JOBS: '2',
    ...extra,
  };
}

/** The test launcher, or with `built: true` the built command (it ignores the QUIRE_TEST_* variables). */
export function startQuire(args: string[], env: NodeJS.ProcessEnv, o: { built?: boolean } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [...(o.built ? [QUIRE_BIN] : QUIRE_TEST_CLI), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export function quire(args: string[], env: NodeJS.ProcessEnv, o: { built?: boolean } = {}): Promise<CliResult> {
  return startQuire(args, env, o).done;
}

/** Pids of live processes whose environment carries the tag (Linux /proc; CI runs Linux). */
export function taggedPids(tag: string): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  const needle = `QUIRE_TEST_TAG=${tag}\0`;
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'latin1');
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // Zombies (state Z) are already dead, only not yet reaped by their parent.
      if (env.includes(needle) && !/\) Z /.test(stat)) out.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

export function writeScripts(dir: string, scripts: Record<string, string>): string[] {
  return Object.entries(scripts).map(([name, body]) => {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, `name ${name}\n${body}\n`);
    return p;
  });
}
