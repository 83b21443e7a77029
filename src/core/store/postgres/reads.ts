/**
 * The PostgreSQL store's reading side and the roles that are mostly reads: documents, listings,
 * settings, watched folders (their SQL lives in watch.ts and listings.ts). The queue's writes are
 * in store.ts, which extends this class.
 */
import type { Clock } from '../../clock';
import { startOfLocalDay } from '../../clock';
import type { DocumentRow, JobRow } from '../../../shared/jobs';
import type { FailureGroup, FailureRow, JobListQuery, JobListRow, JobPage, SearchHit } from '../../../shared/listings';
import type { OcrResult, PageResult } from '../../../shared/results';
import type { InProgressJob, MinuteCount, QueueStats } from '../../../shared/stats';
import { HOST_WORKERS_FRESH_MS, IN_PROGRESS_LIMIT, summarizeHosts } from '../../../shared/stats';
import { type DocRaw, type InProgressRaw, type JobRaw, toDocument, toHostWorkers, toInProgress, toJob } from '../rows';
import type {
  AccountingStore,
  DocumentFileFacts,
  DocumentFileRow,
  DocumentStore,
  ListingStore,
  NewSkippedFile,
  NewWatchedFolder,
  QueuePolicy,
  SettingsStore,
  WatchedFolder,
  WatchedFolderState,
  WatchStore,
} from '../types';
import { PgBase, type PgConnectionOptions } from './base';
import { PgListings } from './listings';
import * as SQL from './sql';
import { PgWatch } from './watch';
import { PgSkipped } from './skipped';
import type { PathTally, SkippedList } from '../../../shared/skipped';

export abstract class PgReads extends PgBase implements DocumentStore, ListingStore, SettingsStore, AccountingStore, Omit<WatchStore, 'requeueDocuments'> {
  protected readonly watch: PgWatch;
  protected readonly listings: PgListings;

  constructor(opts: PgConnectionOptions, clock: Clock, policy: QueuePolicy) {
    super(opts, clock);
    this.watch = new PgWatch(this.ctx, policy);
    this.listings = new PgListings(this.ctx);
    this.skipped = new PgSkipped(this.ctx);
  }

  private readonly skipped: PgSkipped;

  async replaceSkipped(roots: readonly string[], files: readonly NewSkippedFile[]): Promise<void> {
    return this.skipped.replaceSkipped(roots, files);
  }

  async listSkipped(limit: number, roots?: readonly string[]): Promise<SkippedList> {
    return this.skipped.listSkipped(limit, roots);
  }

  async tallyUnder(roots: readonly string[], limit: number): Promise<PathTally> {
    return this.skipped.tallyUnder(roots, limit);
  }

  async stats(): Promise<QueueStats> {
    const now = this.clock.now();
    await this.read(SQL.COMPACT_STATS);
    const nowMinute = Math.floor(now / 60_000);
    const r = (
      await this.read<{
        pending: number;
        processing: number;
        completed: number;
        failed: number;
        cancelled: number;
        completed_today: number;
        completed_hour: number;
        started_hour: number;
        wait_ms_hour: number;
        oldest_pending: number | null;
        paused: boolean;
      }>(SQL.STATS, [Math.floor(startOfLocalDay(now) / 60_000), nowMinute])
    ).rows[0]!;
    return {
      pending: r.pending,
      processing: r.processing,
      failed: r.failed,
      completed_today: r.completed_today,
      avg_wait_time_minutes: r.started_hour > 0 ? round2(r.wait_ms_hour / r.started_hour / 60_000) : 0,
      oldest_pending_minutes: r.oldest_pending === null ? 0 : round2(Math.max(0, now - r.oldest_pending) / 60_000),
      completed: r.completed,
      cancelled: r.cancelled,
      completed_last_hour: r.completed_hour,
      paused: r.paused,
      in_progress: r.processing > 0 ? await this.listProcessing(IN_PROGRESS_LIMIT) : [],
      ...summarizeHosts((await this.read<Parameters<typeof toHostWorkers>[0]>(SQL.HOST_WORKERS, [now - HOST_WORKERS_FRESH_MS])).rows.map(toHostWorkers)),
    };
  }

  async listFailures(): Promise<FailureRow[]> {
    const rows = (
      await this.read<{
        id: string;
        document_id: string;
        path: string;
        error_kind: string | null;
        error_message: string | null;
        attempts: number;
        completed_at: number | null;
      }>(SQL.FAILURES)
    ).rows;
    return rows.map((r) => ({
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
    const r = (await this.read<DocRaw>(SQL.DOC_BY_PATH, [path])).rows[0];
    return r ? toDocument(r) : null;
  }

  async getDocument(id: string): Promise<DocumentRow | null> {
    const r = (await this.read<DocRaw>(SQL.DOC_BY_ID, [id])).rows[0];
    return r ? toDocument(r) : null;
  }

  async getJob(id: string): Promise<JobRow | null> {
    const r = (await this.read<JobRaw>(SQL.JOB_BY_ID, [id])).rows[0];
    return r ? toJob(r) : null;
  }

  async getSetting(key: string): Promise<unknown> {
    const r = (await this.read<{ value: string }>(SQL.GET_SETTING, [key])).rows[0];
    return r ? JSON.parse(r.value) : undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.q(SQL.SET_SETTING, [key, JSON.stringify(value)]);
  }

  async listSettings(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const r of (await this.read<{ key: string; value: string }>(SQL.ALL_SETTINGS)).rows) out[r.key] = JSON.parse(r.value);
    return out;
  }

  async findCompletedByHash(contentHash: string, languages?: string): Promise<OcrResult | null> {
    const d = (
      await this.read<{
        id: string;
        ocr_text: string | null;
        confidence: number | null;
        ocr_engine: string | null;
        ocr_languages: string | null;
        processing_time_ms: number | null;
      }>(SQL.COMPLETED_BY_HASH, [contentHash, languages ?? null])
    ).rows[0];
    if (!d) return null;
    return {
      text: d.ocr_text ?? '',
      pages: await this.getPages(d.id),
      confidence: d.confidence,
      engine: d.ocr_engine ?? 'unknown',
      languages: d.ocr_languages ?? '',
      processingTimeMs: d.processing_time_ms ?? 0,
      contentHash,
    };
  }


  async listProcessing(limit = 1000): Promise<InProgressJob[]> {
    return (await this.read<InProgressRaw>(SQL.PROCESSING, [limit])).rows.map(toInProgress);
  }

  async getPages(documentId: string): Promise<PageResult[]> {
    const rows = (
      await this.read<{ page_no: number; text: string; confidence: number | null; source: PageResult['source'] }>(SQL.PAGES, [documentId])
    ).rows;
    return rows.map((p) => ({ pageNo: p.page_no, text: p.text, confidence: p.confidence, source: p.source }));
  }

  async listCompleted(afterPath: string | null, limit: number): Promise<DocumentRow[]> {
    return (await this.read<DocRaw>(SQL.COMPLETED_AFTER, [afterPath ?? '', limit])).rows.map(toDocument);
  }

  async addWatchedFolder(folder: NewWatchedFolder): Promise<WatchedFolder> {
    return this.watch.addWatchedFolder(folder);
  }

  async removeWatchedFolder(path: string): Promise<boolean> {
    return this.watch.removeWatchedFolder(path);
  }

  async listWatchedFolders(): Promise<WatchedFolder[]> {
    return this.watch.listWatchedFolders();
  }

  async setWatchedFolderState(path: string, state: WatchedFolderState, message: string | null, scanned = false): Promise<void> {
    return this.watch.setWatchedFolderState(path, state, message, scanned);
  }

  async listDocumentsUnder(dir: string): Promise<DocumentFileRow[]> {
    return this.watch.listDocumentsUnder(dir);
  }

  async setSourceMissing(paths: readonly string[], missing: boolean): Promise<number> {
    return this.watch.setSourceMissing(paths, missing);
  }

  async cancelPendingForPaths(paths: readonly string[]): Promise<number> {
    return this.watch.cancelPendingForPaths(paths);
  }

  async hasMissingDocumentOfSize(size: number): Promise<boolean> {
    return this.watch.hasMissingDocumentOfSize(size);
  }

  async findDocumentsByContentHash(hash: string): Promise<DocumentFileRow[]> {
    return this.watch.findDocumentsByContentHash(hash);
  }

  async moveDocument(id: string, newPath: string, size: number, mtimeMs: number): Promise<boolean> {
    return this.watch.moveDocument(id, newPath, size, mtimeMs);
  }

  async updateDocumentFiles(files: readonly DocumentFileFacts[]): Promise<number> {
    return this.watch.updateDocumentFiles(files);
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
