/**
 * Progress of a processing run, fed by the host's events: files and pages done, pages per
 * minute, an ETA from the file rate so far, and failures. Pages are only known once a worker opens
 * a file, so the page total is "known so far" and grows.
 */
import type { EventMessage } from '../shared/events';

export class RunProgress {
  filesDone = 0;
  filesFailed = 0;
  pagesDone = 0;
  reused = 0;
  retries = 0;
  /** Each running job's page count and pages already read (the page in hand is not counted). */
  private readonly running = new Map<string, { read: number; pages: number }>();
  private readonly started: number;

  constructor(
    public filesTotal: number,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Feed one event of the host's route. */
  see(m: EventMessage): void {
    if (m.event === 'jobProgress') {
      // `page` is the 1-based page a worker starts on: the ones before it are read.
      if (m.data.pages !== null) this.running.set(m.data.jobId, { read: Math.max(0, (m.data.page ?? 1) - 1), pages: m.data.pages });
      return;
    }
    if (m.event !== 'jobFinished') return;
    const e = m.data;
    this.running.delete(e.jobId);
    if (e.status === 'completed') {
      this.filesDone++;
      this.pagesDone += e.pages ?? 0;
      if (e.reused) this.reused++;
    } else if (e.status === 'failed') {
      this.filesDone++;
      this.filesFailed++;
    } else if (e.status === 'pending') this.retries++;
  }

  get elapsedMs(): number {
    return this.now() - this.started;
  }

  /** Pages read so far: those of finished files and those already read in files still being read. */
  pagesRead(): number {
    let n = this.pagesDone;
    for (const r of this.running.values()) n += r.read;
    return n;
  }

  pagesPerMinute(): number {
    const min = this.elapsedMs / 60_000;
    return min > 0 ? this.pagesRead() / min : 0;
  }

  etaMs(): number | null {
    if (this.filesDone === 0) return null;
    const left = Math.max(0, this.filesTotal - this.filesDone);
    return (this.elapsedMs / this.filesDone) * left;
  }

  line(): string {
    let pagesKnown = this.pagesDone;
    for (const r of this.running.values()) pagesKnown += r.pages;
    const eta = this.etaMs();
    return (
      `files ${this.filesDone}/${this.filesTotal}  pages ${this.pagesRead()}/${pagesKnown}${this.filesDone < this.filesTotal ? '+' : ''}` +
      `  ${Math.round(this.pagesPerMinute())} pages/min  ETA ${eta === null ? '?' : duration(eta)}` +
      `  failed ${this.filesFailed}`
    );
  }
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
