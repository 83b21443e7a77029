/**
 * Settings a running pool takes without a restart (the host re-reads them every few seconds and
 * passes them on; src/core/host/pool-settings.ts). The page time limit holds the pages being read
 * now; the recycling limits and path mappings apply from the next file; new engine options or a new
 * memory limit replace idle workers at once and busy ones after their file. Nothing running is
 * killed to apply a setting.
 */
import type { Logger } from '../logger';
import type { Fleet } from './fleet';
import type { LiveSettings, ResolvedPoolOptions } from './options';
import type { PageBudget } from './page-budget';

export interface LivePool {
  o: ResolvedPoolOptions;
  /** The memory limit during a job follows recycleRssBytes (twice it) unless the pool was given one. */
  jobRssFollowsRecycle: boolean;
  fleet: Fleet;
  /** The page budgets of the files being read now. */
  budgets: Iterable<PageBudget>;
  /** Started and not stopping: workers may be replaced. */
  running: boolean;
  log: Logger;
}

export function applyLiveSettings(p: LivePool, next: LiveSettings): void {
  const { o } = p;
  const changed: string[] = [];
  if (next.timeoutMs !== undefined && next.timeoutMs !== o.timeoutMs) {
    o.timeoutMs = next.timeoutMs;
    for (const budget of p.budgets) budget.setLimit(next.timeoutMs);
    changed.push('page time limit');
  }
  if (next.recycleAfterJobs !== undefined && next.recycleAfterJobs !== o.recycleAfterJobs) {
    o.recycleAfterJobs = next.recycleAfterJobs;
    changed.push('files per worker');
  }
  if (next.recycleRssBytes !== undefined && next.recycleRssBytes !== o.recycleRssBytes) {
    o.recycleRssBytes = next.recycleRssBytes;
    if (p.jobRssFollowsRecycle && next.maxJobRssBytes === undefined) o.maxJobRssBytes = 2 * next.recycleRssBytes;
    changed.push('worker memory limit');
  }
  if (next.maxJobRssBytes !== undefined) o.maxJobRssBytes = next.maxJobRssBytes;
  if (next.mapPath) o.mapPath = next.mapPath;
  if (next.engineOptions) o.engineOptions = next.engineOptions;
  // The memory limit is also each process's own watchdog's, set when it starts: like engine options, it takes new processes.
  if (p.fleet.setSpawnOptions({ engineOptions: o.engineOptions, maxJobRssBytes: o.maxJobRssBytes })) changed.push('engine options');
  if (!p.running) return;
  for (const s of p.fleet.slots) {
    if (s.state === 'busy' || s.retiring) continue;
    // Started with other options, or already past a lowered file limit: replaced now, not after one more file.
    if (p.fleet.outdated(s) || s.jobsDone >= o.recycleAfterJobs) s.retire();
  }
  if (changed.length) {
    p.log.info('settings applied', { changed: changed.join(', ') });
    p.fleet.reconcile();
  }
}

export type CurrentSettings = Required<Omit<LiveSettings, 'mapPath'>>;

export function currentSettings(o: ResolvedPoolOptions): CurrentSettings {
  const { timeoutMs, recycleAfterJobs, recycleRssBytes, maxJobRssBytes, engineOptions } = o;
  return { timeoutMs, recycleAfterJobs, recycleRssBytes, maxJobRssBytes, engineOptions };
}
