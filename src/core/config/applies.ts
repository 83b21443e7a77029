/**
 * When a running Quire applies a changed setting. Settings are saved in the database by any
 * process (`quire config set`, the app, another host), so a running host re-reads them every few
 * seconds: some take effect at once (concurrency; the page time limit, even for the pages being read
 * now; background OCR; the power rules), the pool and engine settings from the next file (new worker
 * processes get them; a file being read is never killed for a setting), and what comes from the
 * environment only when Quire starts. A setting is live only when it is listed here.
 */
import { availableParallelism } from 'node:os';

export type Applies = 'now' | 'next_file' | 'restart';

/** Followed by a running host within 5 s (src/core/host/processing.ts, pool-settings.ts, the watcher, the power controller). */
const AT_ONCE = new Set([
  'concurrent_ocr_jobs',
  'ocr_timeout_seconds',
  'enable_background_ocr',
  'battery_mode',
  'battery_pause_percent',
  'idle_minutes',
  'active_max_workers',
  'ocr_schedule',
  'outside_schedule',
  'only_when_idle',
]);

/** Taken by the pool's worker processes for the next file they read (src/core/pool/live-settings.ts). */
const NEXT_FILE = new Set(['ocr_languages', 'ocr_model', 'keep_existing_text', 'worker_recycle_jobs', 'worker_max_rss_mb', 'path_mappings']);

const SECONDS = 'within 5 seconds';

export function whenApplied(key: string, persisted: boolean): { applies: Applies; appliesNote: string } {
  // A process's environment is fixed when it starts.
  if (!persisted) return { applies: 'restart', appliesNote: 'Restart Quire to apply it: it is read from its environment variable when Quire starts.' };
  if (AT_ONCE.has(key)) return { applies: 'now', appliesNote: `A running Quire applies it at once (${SECONDS}).` };
  if (NEXT_FILE.has(key)) {
    return { applies: 'next_file', appliesNote: `A running Quire applies it from the next file (${SECONDS}); files being read finish as they started.` };
  }
  return { applies: 'restart', appliesNote: 'Restart Quire to apply it: a running Quire reads it only when it starts.' };
}

/** What Quire says when more OCR workers are asked for than the machine has cores. */
export function concurrencyCapNote(asked: number, cores = Math.max(1, availableParallelism())): string {
  return `Capped at ${cores} OCR worker${cores === 1 ? '' : 's'} (asked for ${asked}): this computer has ${cores} CPU core${cores === 1 ? '' : 's'}, and more workers would only wait for a core.`;
}
