/**
 * bench:watch — figures for watched folders, with the default settings:
 *  1. delay from a file's last write to its job being enqueued (median, p95);
 *  2. a watched tree of 10,000 files: first rescan, restart rescan, RSS and inotify watch count.
 * Prints figures; asserts nothing. Usage: npm run bench:watch [-- --files 10000 --latency 60]
 */
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultMigrationsDir } from '../src/core/paths';
import { loadMigrations } from '../src/core/store/migrations';
import { SqliteJobStore } from '../src/core/store/sqlite/store';
import { addWatchedFolder } from '../src/core/watch/folders';
import { DEFAULT_TIMING, startWatching } from '../src/core/watch/host';
import { queuePolicy } from '../src/core/queue/policy';

const { values } = parseArgs({ options: { files: { type: 'string', default: '10000' }, latency: { type: 'string', default: '60' } } });
const TREE_FILES = Number(values.files);
const LATENCY_FILES = Number(values.latency);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;

function inotifyWatches(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) !== 'anon_inode:inotify') continue;
      n += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').split('\n').filter((l) => l.startsWith('inotify wd:')).length;
    } catch {
      // fd closed meanwhile
    }
  }
  return n;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const base = join(tmpdir(), `quire-bench-watch-${process.pid}`);
mkdirSync(base, { recursive: true });
const open = (name: string) => {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  return new SqliteJobStore({ path: join(dir, 'quire.db'), migrations: loadMigrations(defaultMigrationsDir('sqlite')), policy: queuePolicy() });
};

async function latency(poll: boolean, files: number): Promise<void> {
  const store = open(`latency-data-${poll}`);
  const root = join(base, `latency-${poll}`);
  mkdirSync(root);
  await addWatchedFolder(store, root, { poll });
  const handle = startWatching(store);
  await handle.ready;
  const written = new Map<string, number>();
  const delays: number[] = [];
  handle.on('file', (e) => {
    const t = written.get(e.path);
    if (t !== undefined && e.outcome === 'enqueued') delays.push(performance.now() - t);
  });
  for (let i = 0; i < files; i++) {
    const p = join(root, `scan-${i}.png`);
    writeFileSync(p, Buffer.alloc(200_000, i)); // a 200 kB scan, written at once
    written.set(p, performance.now());
    await sleep(100);
  }
  const end = Date.now() + 30_000;
  while (delays.length < files && Date.now() < end) await sleep(50);
  await handle.stop();
  await store.close();
  delays.sort((a, b) => a - b);
  const mode = poll ? `polling every ${DEFAULT_TIMING.pollingIntervalMs} ms` : 'native';
  console.log(`latency, last write -> job enqueued, ${mode} (${delays.length} files of 200 kB, one every 100 ms; stabilityThreshold ${DEFAULT_TIMING.stabilityThresholdMs} ms)`);
  console.log(`  median ${percentile(delays, 50).toFixed(0)} ms   p95 ${percentile(delays, 95).toFixed(0)} ms   max ${delays[delays.length - 1]!.toFixed(0)} ms`);
}

async function tree(): Promise<void> {
  const root = join(base, 'tree');
  const perDir = 100;
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (let d = 0; d < Math.ceil(TREE_FILES / perDir); d++) {
    mkdirSync(join(root, `box-${d}`), { recursive: true });
    for (let i = 0; i < perDir && d * perDir + i < TREE_FILES; i++) {
      const p = join(root, `box-${d}`, `page-${i}.png`);
      writeFileSync(p, `box ${d} page ${i}`);
      // An existing archive: files written an hour ago (the rescan waits for files younger than
      // the stability threshold, which would measure the wait instead of the scan).
      utimesSync(p, hourAgo, hourAgo);
    }
  }
  const store = open('tree-data');
  await addWatchedFolder(store, root);
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const watchesBefore = inotifyWatches();

  let t = performance.now();
  let handle = startWatching(store);
  await handle.ready;
  const first = performance.now() - t;
  const st = handle.status().folders[0]!;
  const rss = process.memoryUsage().rss;
  const watches = inotifyWatches() - watchesBefore;
  const pending = (await store.stats()).pending;
  await handle.stop();

  t = performance.now();
  handle = startWatching(store);
  await handle.ready;
  const again = performance.now() - t;
  const scan = handle.status().folders[0]!.lastScan!;
  await handle.stop();
  await store.close();

  console.log(`watched tree of ${TREE_FILES} files in ${Math.ceil(TREE_FILES / perDir)} folders (native watching)`);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`  first start, ${pending} new files enqueued: ${s(first)} (watches ready ${s(st.lastScan!.watchReadyMs)}, rescan ${s(st.lastScan!.rescanMs)})`);
  console.log(`  restart, ${scan.outcomes.unchanged ?? 0} unchanged files, none read: ${s(again)} (watches ready ${s(scan.watchReadyMs)}, rescan ${s(scan.rescanMs)})`);
  console.log(`  inotify watches: ${watches}   chokidar paths: ${st.watchedPaths}`);
  console.log(`  RSS: ${mb(rss)} while watching (${mb(rss - rssBefore)} more than before watching)`);
}

try {
  console.log(`node ${process.version}, ${process.platform}`);
  await latency(false, LATENCY_FILES);
  await latency(true, Math.ceil(LATENCY_FILES / 3));
  await tree();
} finally {
  rmSync(base, { recursive: true, force: true });
}
