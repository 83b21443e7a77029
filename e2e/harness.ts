/**
 * e2e harness: a real `quire serve` (the CLI, in its own process) on a temp data folder, a real
 * Chromium (Debian's, through playwright-core) with a fresh profile, and the store opened from
 * the test process to seed and read the same SQLite file (WAL lets both processes use it).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { QUIRE_TEST_CLI } from '../test/pool/cli-helpers';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { queuePolicy } from '../src/core/queue/policy';

export const REPO = join(import.meta.dirname, '..');
export const CHROMIUM = process.env.QUIRE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(REPO, 'test-artifacts');

/** Flags from STACK.md: without the background-networking ones Chromium floods a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
];

/**
 * Builds the app (electron-vite build) when it has not been built. `npm test` builds it once before
 * any test runs; a build here while other test files run the built `quire` would empty out/ under
 * them (a CLI test then found no out/main/cli.js). Run `npm run build` after changing the sources
 * before running e2e files directly; QUIRE_E2E_BUILD=1 rebuilds here anyway.
 */
export function ensureRendererBuilt(): void {
  const built = existsSync(join(REPO, 'out', 'renderer', 'index.html')) && existsSync(join(REPO, 'out', 'main', 'cli.js'));
  if (built && !process.env.QUIRE_E2E_BUILD) return;
  execFileSync(process.execPath, [join(REPO, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: REPO,
    stdio: 'pipe',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
}

export interface Served {
  dataDir: string;
  url: string;
  openUrl: string;
  token: string;
  port: number;
  proc: ChildProcess;
  /** What the server wrote to stderr so far (warnings and errors, as JSON lines). */
  stderr(): string;
  stop(): Promise<void>;
}

export function openStore(dataDir: string): SqliteJobStore {
  return new SqliteJobStore({ path: join(dataDir, 'quire.db'), migrations: loadMigrations(join(REPO, 'migrations', 'sqlite')), policy: queuePolicy() });
}

export function quireCli(args: string[], dataDir: string): string {
  return execFileSync(process.execPath, [join(REPO, 'bin', 'quire.js'), ...args, '--data-dir', dataDir], {
    cwd: REPO,
    encoding: 'utf8',
  });
}

/**
 * `quire serve` as users run it (the built command), or with `scripted: true` the test launcher
 * with the scripted engine (test/support/quire-cli.ts).
 */
export async function serve(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, o: { scripted?: boolean } = {}): Promise<Served> {
  const command = o.scripted ? QUIRE_TEST_CLI : [join(REPO, 'bin', 'quire.js')];
  const proc = spawn(process.execPath, [...command, 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  // If the test process dies before stop(), the server must not outlive it.
  const reap = () => proc.kill('SIGKILL');
  process.once('exit', reap);
  proc.once('exit', () => process.off('exit', reap));
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const openUrl = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/\S+#token=\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`quire serve exited (${code}): ${err}`)));
  });
  const u = new URL(openUrl);
  return {
    dataDir,
    openUrl,
    url: `${u.origin}/`,
    token: u.hash.slice('#token='.length),
    port: Number(u.port),
    proc,
    stderr: () => err,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      // A server that does not stop is a failure to see, not a test that hangs until its timeout.
      const late = setTimeout(() => {
        process.stderr.write(`quire serve did not exit 60 s after SIGTERM; killing it. Its stderr:\n${err}\n`);
        proc.kill('SIGKILL');
      }, 60_000);
      await exited;
      clearTimeout(late);
    },
  };
}

export async function launch(): Promise<{ context: BrowserContext; profile: string; close(): Promise<void> }> {
  // A fresh, throwaway profile per run (--user-data-dir through the persistent-context API).
  const profile = mkdtempSync(join(tmpdir(), 'quire-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    profile,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export function tempData(prefix = 'quire-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
