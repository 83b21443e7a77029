/**
 * The SQLite store's reading side and the roles that are mostly reads: documents, listings,
 * settings, watched folders (whose statements live in watch.ts and listings.ts). The queue's
 * writes are in store.ts, which extends this class.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../clock';
import { startOfLocalDay } from '../../clock';
import type { DocumentRow, JobRow, JobStatus } from '../../../shared/jobs';
import type { FailureGroup, FailureRow, JobListQuery, JobListRow, JobPage, SearchHit } from '../../../shared/listings';
import type { OcrResult, PageResult } from '../../../shared/results';
import type { InProgressJob, MinuteCount, QueueStats } from '../../../shared/stats';
import { HOST_WORKERS_FRESH_MS, IN_PROGRESS_LIMIT, summarizeHosts } from '../../../shared/stats';
import { toDocument, toHostWorkers, toInProgress, toJob } from '../rows';
import type {
  AccountingStore,
  DocumentFileFacts,
  DocumentFileRow,
  DocumentStore,
  ListingStore,
  NewSkippedFile,
  NewWatchedFolder,
  SettingsStore,
  WatchedFolder,
  WatchedFolderState,
  WatchStore,
} from '../types';
import type { SqliteListings } from './listings';
import { SqliteSkipped } from './skipped';
import type { PathTally, SkippedList } from '../../../shared/skipped';
import type { QueueStatements } from './statements';
import type { createWatchStatements } from './watch';

const PAUSED_KEY = 'queue_paused';

export abstract class SqliteReads implements DocumentStore, ListingStore, SettingsStore, AccountingStore, Omit<WatchStore, 'requeueDocuments'> {
  constructor(
    readonly db: Database.Database,
    protected readonly clock: Clock,
    protected readonly s: QueueStatements,
    protected readonly w: ReturnType<typeof createWatchStatements>,
    protected readonly listings: SqliteListings,
  ) {
    this.skipped = new SqliteSkipped(db, clock);
  }

  private readonly skipped: SqliteSkipped;

  async replaceSkipped(roots: readonly string[], files: readonly NewSkippedFile[]): Promise<void> {
    this.skipped.replaceSkipped(roots, files);
  }

  async listSkipped(limit: number, roots?: readonly string[]): Promise<SkippedList> {
    return this.skipped.listSkipped(limit, roots);
  }

  async tallyUnder(roots: readonly string[], limit: number): Promise<PathTally> {
    return this.skipped.tallyUnder(roots, limit);
  }

  protected pausedSync(): boolean {
    const row = this.s.paused.get(PAUSED_KEY);
    return row ? JSON.parse(row.value) === true : false;
  }


  async stats(): Promise<QueueStats> {
    return this.statsSync();
  }

  statsSync(): QueueStats {
    const s = this.s;
    return this.db.transaction((): QueueStats => {
      const now = this.clock.now();
      const c: Record<JobStatus, number> = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
      for (const row of s.counters.all()) c[row.status] = row.n;
      const nowMinute = Math.floor(now / 60_000);
      const today = s.minuteSums.get(Math.floor(startOfLocalDay(now) / 60_000), nowMinute)!;
      const hour = s.hourSums.get(nowMinute - 59)!;
      const oldest = s.oldestPending.get()!.t;
      const started = hour.started ?? 0;
      return {
        pending: c.pending,
        processing: c.processing,
        failed: c.failed,
        completed_today: today.completed_today ?? 0,
        avg_wait_time_minutes: started > 0 ? round2((hour.wait_ms ?? 0) / started / 60_000) : 0,
        oldest_pending_minutes: oldest === null ? 0 : round2(Math.max(0, now - oldest) / 60_000),
        completed: c.completed,
        cancelled: c.cancelled,
        completed_last_hour: hour.completed ?? 0,
        paused: this.pausedSync(),
        in_progress: c.processing > 0 ? s.processing.all(IN_PROGRESS_LIMIT).map(toInProgress) : [],
        ...summarizeHosts(s.hostWorkers.all(now - HOST_WORKERS_FRESH_MS).map(toHostWorkers)),
      };
    })();
  }

  async listFailures(): Promise<FailureRow[]> {
    return this.s.failures.all().map((r) => ({
      jobId: r.id,
      documentId: r.document_id,
      path: r.path,
      kind: (r.error_kind as FailureRow['kind']) ?? null,
      message: r.error_message,
      attempts: r.attempts,
      failedAt: r.completed_at,
    }));
  }

  async getDocumentByPath(path: string): Promise<DocumentRow | null> {
    const r = this.s.docByPath.get(path);
    return r ? toDocument(r) : null;
  }

  async getDocument(id: string): Promise<DocumentRow | null> {
    const r = this.s.docById.get(id);
    return r ? toDocument(r) : null;
  }

  async getJob(id: string): Promise<JobRow | null> {
    const r = this.s.jobById.get(id);
    return r ? toJob(r) : null;
  }

  async findCompletedByHash(contentHash: string, languages?: string): Promise<OcrResult | null> {
    const d = this.s.completedByHash.get({ hash: contentHash, languages: languages ?? null });
    if (!d) return null;
    const pages = this.pagesSync(d.id);
    return {
      text: d.ocr_text ?? '',
      pages,
      confidence: d.confidence,
      engine: d.ocr_engine ?? 'unknown',
      languages: d.ocr_languages ?? '',
      processingTimeMs: d.processing_time_ms ?? 0,
      contentHash,
    };
  }


  async listProcessing(limit = 1000): Promise<InProgressJob[]> {
    return this.s.processing.all(limit).map(toInProgress);
  }


  async getPages(documentId: string): Promise<PageResult[]> {
    return this.pagesSync(documentId);
  }

  protected pagesSync(documentId: string): PageResult[] {
    return this.s.pages.all(documentId).map((p) => ({ pageNo: p.page_no, text: p.text, confidence: p.confidence, source: p.source }));
  }

  async listCompleted(afterPath: string | null, limit: number): Promise<DocumentRow[]> {
    return this.s.completedAfter.all(afterPath ?? '', limit).map(toDocument);
  }

  async getSetting(key: string): Promise<unknown> {
    const row = this.s.getSetting.get(key);
    return row ? JSON.parse(row.value) : undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    this.s.setSetting.run(key, JSON.stringify(value));
  }

  async listSettings(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const row of this.s.allSettings.all()) out[row.key] = JSON.parse(row.value);
    return out;
  }


  async addWatchedFolder(folder: NewWatchedFolder): Promise<WatchedFolder> {
    return this.w.addWatchedFolder(folder);
  }

  async removeWatchedFolder(path: string): Promise<boolean> {
    return this.w.removeWatchedFolder(path);
  }

  async listWatchedFolders(): Promise<WatchedFolder[]> {
    return this.w.listWatchedFolders();
  }

  async setWatchedFolderState(path: string, state: WatchedFolderState, message: string | null, scanned = false): Promise<void> {
    this.w.setWatchedFolderState(path, state, message, scanned);
  }

  async listDocumentsUnder(dir: string): Promise<DocumentFileRow[]> {
    return this.w.listDocumentsUnder(dir);
  }

  async setSourceMissing(paths: readonly string[], missing: boolean): Promise<number> {
    return this.w.setSourceMissing(paths, missing);
  }

  async cancelPendingForPaths(paths: readonly string[]): Promise<number> {
    return this.w.cancelPendingForPaths(paths);
  }

  async hasMissingDocumentOfSize(size: number): Promise<boolean> {
    return this.w.hasMissingDocumentOfSize(size);
  }

  async findDocumentsByContentHash(hash: string): Promise<DocumentFileRow[]> {
    return this.w.findDocumentsByContentHash(hash);
  }

  async moveDocument(id: string, newPath: string, size: number, mtimeMs: number): Promise<boolean> {
    return this.w.moveDocument(id, newPath, size, mtimeMs);
  }

  async updateDocumentFiles(files: readonly DocumentFileFacts[]): Promise<number> {
    return this.w.updateDocumentFiles(files);
  }


  async listJobs(query: JobListQuery): Promise<JobPage> {
    return this.listings.listJobs(query);
  }

  async failureGroups(): Promise<FailureGroup[]> {
    return this.listings.failureGroups();
  }

  async search(query: string, limit: number): Promise<SearchHit[]> {
    return this.listings.search(query, limit);
  }

  async listProcessingRows(): Promise<JobListRow[]> {
    return this.listings.listProcessing();
  }

  async throughput(sinceMinute: number): Promise<MinuteCount[]> {
    return this.listings.throughput(sinceMinute);
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
