/**
 * One watched folder's life: watch with chokidar (native or polling), rescan on start, turn
 * events into FileSync decisions, and survive the folder going away. Nothing here throws into
 * the host: every failure becomes a state (`unavailable`, `error`) with a message for a person.
 */
import type { Stats } from 'node:fs';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { NOT_UTF8_REASON, unnamableEntries } from '../ingest/names';
import type { Logger } from '../logger';
import type { WatchedFolder, WatchedFolderState } from '../store/types';
import { createIgnore } from './ignore';
import { reconcileFolder } from './reconcile';
import { waitStable } from './stability';
import type { FolderStatus, FolderWatcherDeps } from './folder-types';

function inotifyLimit(): string {
  try {
    return readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim();
  } catch {
    return 'unknown';
  }
}

export class FolderWatcher {
  readonly folder: WatchedFolder;
  private readonly d: FolderWatcherDeps;
  private readonly log: Logger;
  private readonly ignore: (path: string, stats?: Stats) => boolean;
  private watcher: FSWatcher | null = null;
  private unblockReady: (() => void) | null = null;
  private gen = 0;
  private stopped = false;
  private dev: number | null = null;
  private forcedPolling: string | null = null;
  private st: FolderStatus;
  private readonly inflight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private goneTimer: NodeJS.Timeout | null = null;
  private readonly goneFiles = new Set<string>();
  private readonly goneDirs = new Set<string>();

  constructor(folder: WatchedFolder, deps: FolderWatcherDeps) {
    this.folder = folder;
    this.d = deps;
    this.log = deps.logger.scope('watch');
    this.ignore = createIgnore({ root: folder.path, patterns: folder.ignore, excludedDirs: deps.excludedDirs });
    this.st = { path: folder.path, state: 'stopped', message: null, mode: 'native', watchedPaths: 0, lastScan: null };
  }

  /** Resolves once the folder is watched and rescanned, or found unavailable. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.track(this.openOrRetry());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.gen++;
    this.clearTimers();
    await this.closeWatcher();
    // Settle work already under way so the store is quiet when the host closes it.
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
    await this.setState('stopped', null);
  }

  status(): FolderStatus {
    return { ...this.st, watchedPaths: this.countWatched() };
  }

  private countWatched(): number {
    if (!this.watcher) return 0;
    const w = this.watcher.getWatched();
    let n = 0;
    for (const children of Object.values(w)) n += children.length;
    return n;
  }

  /** Keeps `p` so stop() can wait for it; its failure is logged, never thrown into the host. */
  private track(p: Promise<unknown>): Promise<void> {
    const guarded = p.then(
      () => {},
      (err: unknown) => this.log.warn('watch task failed', { path: this.folder.path, error: String(err) }),
    );
    this.inflight.add(guarded);
    void guarded.finally(() => this.inflight.delete(guarded));
    return guarded;
  }

  private async setState(state: WatchedFolderState, message: string | null, scanned = false): Promise<void> {
    this.st = { ...this.st, state, message };
    try {
      await this.d.store.setWatchedFolderState(this.folder.path, state, message, scanned);
    } catch (err) {
      this.log.warn('could not record folder state', { path: this.folder.path, error: String(err) });
    }
    this.d.onStatus(this.status());
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.goneTimer) clearTimeout(this.goneTimer);
    this.timer = this.goneTimer = null;
  }

  private async closeWatcher(): Promise<void> {
    const w = this.watcher;
    this.watcher = null;
    this.unblockReady?.(); // a watcher closed before 'ready' never emits it
    this.unblockReady = null;
    if (w) await w.close().catch(() => {});
  }

  /** Is the root here, a folder, and on the same device as when watching began? */
  private async rootAvailable(): Promise<{ ok: true; dev: number } | { ok: false; why: string }> {
    try {
      const s = await stat(this.folder.path);
      if (!s.isDirectory()) return { ok: false, why: 'it is no longer a folder' };
      // A mount point left behind by an unplugged drive is an empty folder on another device:
      // treating it as the folder would mark every document missing.
      if (this.dev !== null && s.dev !== this.dev) return { ok: false, why: 'the drive or share holding it is not mounted' };
      return { ok: true, dev: s.dev };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { ok: false, why: code === 'ENOENT' ? 'it does not exist (unplugged drive or unmounted share?)' : `it cannot be read (${code ?? String(err)})` };
    }
  }

  private pollingReason(): string | null {
    if (this.forcedPolling) return this.forcedPolling;
    if (this.folder.poll) return 'Polling, as chosen for this folder.';
    const net = this.d.networkFsType(this.folder.path);
    if (net) return `Polling: the folder is on a network file system (${net}), where change notifications from other machines do not arrive.`;
    return null;
  }

  /**
   * open(), and when it fails for a reason that is not the folder being away (the database busy
   * or locked, an unexpected watcher failure): state `error` with the reason, and a retry later.
   */
  private async openOrRetry(): Promise<void> {
    try {
      await this.open();
    } catch (err) {
      if (this.stopped) return;
      const gen = ++this.gen;
      this.clearTimers();
      await this.closeWatcher();
      const retryMs = this.d.timing.availabilityCheckMs * 6;
      const message = `Watching failed: ${(err as Error).message}. Quire tries again in ${Math.ceil(retryMs / 1000)} s.`;
      this.log.error(message, { path: this.folder.path });
      await this.setState('error', message);
      this.timer = setTimeout(() => {
        if (gen === this.gen && !this.stopped) this.track(this.openOrRetry());
      }, retryMs);
      this.timer.unref();
    }
  }

  private async open(): Promise<void> {
    const gen = ++this.gen;
    this.clearTimers();
    await this.closeWatcher();
    const avail = await this.rootAvailable();
    if (gen !== this.gen) return;
    if (!avail.ok) return this.goUnavailable(avail.why, gen);
    this.dev = avail.dev;

    const pollReason = this.pollingReason();
    this.st.mode = pollReason ? 'polling' : 'native';
    await this.setState('scanning', pollReason);
    const t = this.d.timing;
    const watcher = this.d.createWatcher(this.folder.path, {
      ignoreInitial: true, // the rescan below decides about existing files, with the store's knowledge
      ignored: this.ignore,
      persistent: true,
      followSymlinks: true,
      usePolling: pollReason !== null,
      interval: t.pollingIntervalMs,
      // Scans are "binary" files to chokidar, which polls those at binaryInterval.
      binaryInterval: t.pollingIntervalMs,
      awaitWriteFinish: { stabilityThreshold: t.stabilityThresholdMs, pollInterval: t.writePollMs },
    });
    this.watcher = watcher;
    let limitHit: NodeJS.ErrnoException | null = null;
    let isReady = false;
    const t0 = performance.now();
    const ready = new Promise<void>((resolve) => {
      this.unblockReady = resolve;
      watcher.once('ready', () => resolve());
    });
    watcher.on('add', (path: string) => gen === this.gen && this.track(this.onFile(path)));
    watcher.on('change', (path: string) => gen === this.gen && this.track(this.onFile(path)));
    watcher.on('unlink', (path: string) => gen === this.gen && this.onGone(path, false));
    watcher.on('unlinkDir', (path: string) => gen === this.gen && this.onGone(path, true));
    // A name that is not UTF-8 reaches chokidar with U+FFFD for its bad bytes: a Latin-1 name
    // makes no event, "bad\xff.png" a 'change' of a real "bad\uFFFD.png" beside it. The raw
    // event still has the name: look at the folder's bytes.
    watcher.on('raw', (_event, name, details) => {
      const dir = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
      if (gen === this.gen && typeof name === 'string' && name.includes('\uFFFD') && typeof dir === 'string') {
        this.track(this.reportUnnamable(dir, basename(name)));
      }
    });
    watcher.on('error', (e: unknown) => {
      if (gen !== this.gen) return;
      const err = e as NodeJS.ErrnoException;
      if ((err.code === 'ENOSPC' || err.code === 'EMFILE') && this.st.mode === 'native') {
        if (!limitHit) {
          limitHit = err;
          // During the first scan, open() switches after 'ready'; later (a new subfolder), switch now.
          if (isReady) this.track(this.fallBackToPolling(err, gen));
        }
        return;
      }
      this.log.warn('watcher error', { path: this.folder.path, code: err.code, error: err.message });
    });
    await ready;
    isReady = true;
    const watchReadyMs = Math.round(performance.now() - t0);
    if (gen !== this.gen) return;
    if (limitHit) return this.fallBackToPolling(limitHit, gen);

    const report = await reconcileFolder({
      store: this.d.store,
      sync: this.d.sync,
      root: this.folder.path,
      ignore: (p) => this.ignore(p),
      maxConcurrentIo: this.d.maxConcurrentIo,
      quietMs: this.d.timing.stabilityThresholdMs,
      cancelled: () => gen !== this.gen,
      onUnreadable: (path, reason) => this.d.onSkipped?.(path, reason),
    });
    if (gen !== this.gen) return;
    report.watchReadyMs = watchReadyMs;
    this.st.lastScan = report;
    this.log.info('folder rescanned', { path: this.folder.path, ...report });
    await this.setState(this.st.mode === 'polling' ? 'polling' : 'watching', pollReason, true);
    this.scheduleCheck(gen);
  }

  private async fallBackToPolling(err: NodeJS.ErrnoException, gen: number): Promise<void> {
    const what = err.code === 'ENOSPC' ? `the system limit on file watches (fs.inotify.max_user_watches = ${inotifyLimit()})` : 'the limit on open files';
    this.forcedPolling =
      `Polling: ${what} was reached while watching this folder. Polling notices changes within ` +
      `${Math.ceil(this.d.timing.pollingIntervalMs / 1000)} s and costs more CPU. To watch natively, raise the limit ` +
      `(for example: sudo sysctl fs.inotify.max_user_watches=524288) and restart Quire.`;
    this.log.warn(this.forcedPolling, { path: this.folder.path });
    if (gen === this.gen && !this.stopped) await this.openOrRetry();
  }

  private scheduleCheck(gen: number): void {
    this.timer = setTimeout(() => {
      // No event tells that a drive was unplugged or a share unmounted: look, at a slow pace.
      this.track(
        (async () => {
          if (gen !== this.gen) return;
          const a = await this.rootAvailable();
          if (gen !== this.gen) return;
          if (a.ok) this.scheduleCheck(gen);
          else await this.goUnavailable(a.why, gen);
        })(),
      );
    }, this.d.timing.availabilityCheckMs);
    this.timer.unref();
  }

  private async goUnavailable(why: string, gen: number): Promise<void> {
    if (gen !== this.gen || this.stopped) return;
    const g = ++this.gen; // drop events from the old watcher
    this.clearTimers();
    this.goneFiles.clear();
    this.goneDirs.clear();
    await this.closeWatcher();
    this.st.mode = this.pollingReason() ? 'polling' : 'native';
    const message = `Unavailable: ${why}. Watching resumes by itself when the folder is back.`;
    if (this.st.state !== 'unavailable') this.log.warn(message, { path: this.folder.path });
    await this.setState('unavailable', message);
    const lookAgain = () => {
      this.timer = setTimeout(() => {
        this.track(
          (async () => {
            if (g !== this.gen || this.stopped) return;
            this.dev = null; // a folder recreated or remounted may sit on another device now
            const a = await this.rootAvailable();
            if (g !== this.gen || this.stopped) return;
            if (a.ok) {
              this.log.info('folder is back; rescanning', { path: this.folder.path });
              await this.openOrRetry();
            } else lookAgain();
          })(),
        );
      }, this.d.timing.availabilityCheckMs);
      this.timer.unref();
    };
    lookAgain();
  }

  private readonly reportedNames = new Set<string>();

  /** Report (once each) the entries of `dir` whose bytes are not UTF-8 and which read as `lossy`. */
  private async reportUnnamable(dir: string, lossy: string): Promise<void> {
    for (const shown of await unnamableEntries(dir, lossy)) {
      if (this.reportedNames.has(shown) || this.ignore(shown)) continue;
      this.reportedNames.add(shown);
      this.d.onSkipped?.(shown, NOT_UTF8_REASON);
    }
  }

  private async onFile(path: string): Promise<void> {
    const gen = this.gen;
    // chokidar's awaitWriteFinish watched the size; this also requires the mtime to hold.
    const facts = await waitStable(path, this.d.timing.writePollMs);
    if (!facts || gen !== this.gen) return;
    await this.d.sync.seen(path, facts);
  }

  private onGone(path: string, isDir: boolean): void {
    if (path === this.folder.path) {
      this.track(this.rootAvailable().then((a) => (a.ok ? undefined : this.goUnavailable(a.why, this.gen))));
      return;
    }
    (isDir ? this.goneDirs : this.goneFiles).add(path);
    // Remember the sizes now: the add half of a rename may arrive before deletions settle.
    this.track(
      isDir
        ? this.d.store.listDocumentsUnder(path).then((docs) => this.d.sync.unlinked(docs.map((d) => d.path)))
        : this.d.sync.unlinked([path]),
    );
    if (this.goneTimer) clearTimeout(this.goneTimer);
    const gen = this.gen;
    this.goneTimer = setTimeout(() => this.track(this.settleGone(gen)), this.d.timing.deleteSettleMs);
  }

  private async settleGone(gen: number): Promise<void> {
    if (gen !== this.gen) return;
    // A whole folder vanishing often means the drive went away, not that files were deleted.
    const a = await this.rootAvailable();
    if (!a.ok) return this.goUnavailable(a.why, gen);
    const candidates = new Set(this.goneFiles);
    this.goneFiles.clear();
    for (const dir of this.goneDirs) {
      for (const d of await this.d.store.listDocumentsUnder(dir)) if (!d.sourceMissing) candidates.add(d.path);
    }
    this.goneDirs.clear();
    const gone: string[] = [];
    for (const p of candidates) {
      // An editor's save (unlink then add) or a quick restore leaves the file in place.
      const there = await stat(p).then(
        () => true,
        () => false,
      );
      if (!there) gone.push(p);
    }
    if (gen !== this.gen || gone.length === 0) return;
    const n = await this.d.sync.gone(gone);
    this.log.info('files deleted', { path: this.folder.path, files: gone.length, markedMissing: n });
  }
}
