/**
 * The API's implementations, one function per query or command. The contract's types are
 * derived from this object (src/ipc/contract.ts), so a handler and its type cannot drift apart.
 * Every host (HTTP server, Electron main) serves exactly this object; arguments are validated
 * here because they arrive from outside the process. This file imports no Node modules: its types
 * are also checked in the renderer's program.
 */
import type { Emit, IngestProgress } from '../../shared/events';
import { ERROR_KIND_MESSAGES, ERROR_KINDS, type ErrorKind, QuireError } from '../../shared/errors';
import type { DocumentRow, JobStatus } from '../../shared/jobs';
import { JOB_STATUSES } from '../../shared/jobs';
import type { FailureRow, InstalledLanguage, JobPage, SearchHit } from '../../shared/listings';
import { JOB_SORTS } from '../../shared/listings';
import type { MinuteCount, QueueStats } from '../../shared/stats';
import { SKIP_REASON_TEXT } from '../../shared/skipped';
import type {
  DocumentView,
  FailureGroupView,
  IngestSummary,
  PageImage,
  SettingsUpdate,
  SettingView,
  WatchedFolder,
  WatchFolderOptions,
  PowerView,
  WorkersView,
  DocumentText,
  ExportFormat,
  ExportSummary,
} from '../../shared/views';
import { EXPORT_FORMATS } from '../../shared/views';
import type { JobStore } from '../store/types';
import { accountingHandlers } from './handlers-accounting';
import type { FileFacts } from './requeue';
import { csvLine } from '../../shared/csv';
import type { PoolSeam, WatcherSeam } from './seams';
import { languageChoice } from './language-choice';
import { bad, fields, isAbsolutePath, optBool, optInt, optOneOf, optStr, record, str, strList } from './validate';

export interface ApiDeps {
  store: JobStore;
  now(): number;
  settings(): Promise<SettingView[]>;
  setSetting(key: string, value: unknown): Promise<SettingView>;
  /** Throws a QuireError with a sentence when `value` is not acceptable for `key` (or it is not saved in the database). */
  checkSetting(key: string, value: unknown): void;
  /** `languages`: the jobs' own OCR languages (checked); absent: the ocr_languages setting. */
  ingest(paths: string[], onProgress: (p: Omit<IngestProgress, 'id' | 'done'>) => void, languages?: string): Promise<IngestSummary>;
  /** Write every completed document's text (and searchable PDFs, made by a worker process) under `out`. */
  exportTo(o: { out: string; formats: ExportFormat[]; onProgress: (documents: number) => void }): Promise<ExportSummary>;
  languages(): Promise<InstalledLanguage[]>;
  /** Renders one page of a document as an image, or null when this host cannot (e.g. PDFs without a renderer). */
  renderPage?(doc: DocumentRow, pageNo: number): Promise<PageImage | null>;
  pool?: PoolSeam;
  watcher: WatcherSeam;
  emit: Emit;
  newId(): string;
  /** The file's size, mtime and readability now; null when there is no file at `path`. */
  fileFacts(path: string): Promise<FileFacts | null>;
}

/** The argument of a handler that takes none: nothing, null or an empty object. */
type NoArgs = Record<string, never>;

/** Settings the power policy reads: a change is applied at once rather than at the next poll. */
const POWER_KEYS = new Set(['battery_mode', 'battery_pause_percent', 'idle_minutes', 'active_max_workers', 'ocr_schedule', 'outside_schedule', 'only_when_idle']);

const kindMessage = (k: ErrorKind | null) =>
  k ? ERROR_KIND_MESSAGES[k] : 'The job failed without a recorded reason (an older Quire version may have failed it).';

export function createHandlers(deps: ApiDeps) {
  const { store } = deps;
  const changed = async () => deps.emit('statsChanged', await store.stats());
  const needPool = (what: string) => {
    if (!deps.pool) throw new QuireError('no_worker', `No OCR workers run in this process, so it cannot ${what}: the setting is per running host (quire worker, quire serve, the app).`);
    return deps.pool;
  };
  const watchersChanged = async () => deps.emit('watcherStatus', { available: deps.watcher.live, folders: await deps.watcher.list() });

  return {
    // Every file accounted for: what is not read, requeue, dismiss, remove (handlers-accounting.ts).
    ...accountingHandlers(deps, changed),

    // ---------------------------------------------------------------- queries
    async stats(input?: NoArgs): Promise<QueueStats> {
      fields(input, [], 'stats');
      return store.stats();
    },

    /** Completed jobs per minute over the last `minutes` (default 60), for the throughput chart. */
    async throughput(input?: { minutes?: number }): Promise<MinuteCount[]> {
      const minutes = optInt(fields(input, ['minutes'], 'throughput'), 'minutes', 1, 2 * 24 * 60) ?? 60;
      return store.throughput(Math.floor(deps.now() / 60_000) - minutes + 1);
    },

    async workers(input?: NoArgs): Promise<WorkersView> {
      fields(input, [], 'workers');
      if (deps.pool) return { source: 'pool', workers: deps.pool.workers() };
      // No pool in this host: jobs other processes hold still show who is on which file and page.
      const rows = await store.listProcessingRows();
      return {
        source: rows.length ? 'external' : 'none',
        workers: rows.map((r) => ({
          id: r.workerId ?? 'unknown',
          state: 'busy',
          jobId: r.id,
          path: r.path,
          page: r.progressPage,
          pages: r.progressPages,
          since: r.startedAt,
        })),
      };
    },

    async listJobs(input: {
      status?: JobStatus;
      kind?: ErrorKind;
      folder?: string;
      pathSearch?: string;
      sort?: (typeof JOB_SORTS)[number];
      after?: string;
      limit?: number;
    }): Promise<JobPage> {
      const o = fields(input, ['status', 'kind', 'folder', 'pathSearch', 'sort', 'after', 'limit'], 'listJobs');
      return store.listJobs({
        status: optOneOf(o, 'status', JOB_STATUSES),
        kind: optOneOf(o, 'kind', ERROR_KINDS),
        folder: optStr(o, 'folder'),
        pathSearch: optStr(o, 'pathSearch', { max: 1000 }),
        sort: optOneOf(o, 'sort', JOB_SORTS) ?? 'created_desc',
        after: optStr(o, 'after'),
        limit: optInt(o, 'limit', 1, 1000) ?? 200,
      });
    },

    async failureGroups(input?: NoArgs): Promise<FailureGroupView[]> {
      fields(input, [], 'failureGroups');
      return (await store.failureGroups()).map((g) => ({ ...g, message: kindMessage(g.kind) }));
    },

    async document(input: { id: string }): Promise<DocumentView> {
      const id = str(fields(input, ['id'], 'document'), 'id', { max: 100 });
      const doc = await store.getDocument(id);
      if (!doc) throw new QuireError('not_found', 'That document is no longer in the queue database.');
      const { text: _text, ...rest } = doc;
      return { ...rest, pages: await store.getPages(id) };
    },

    async pageImage(input: { documentId: string; pageNo: number }): Promise<PageImage | null> {
      const o = fields(input, ['documentId', 'pageNo'], 'pageImage');
      const id = str(o, 'documentId', { max: 100 });
      const pageNo = optInt(o, 'pageNo', 1, 100_000) ?? 1;
      const doc = await store.getDocument(id);
      if (!doc) throw new QuireError('not_found', 'That document is no longer in the queue database.');
      return deps.renderPage ? deps.renderPage(doc, pageNo) : null;
    },

    async search(input: { query: string; limit?: number }): Promise<SearchHit[]> {
      const o = fields(input, ['query', 'limit'], 'search');
      return store.search(str(o, 'query', { max: 500 }), optInt(o, 'limit', 1, 10_000) ?? 50);
    },

    async watchedFolders(input?: NoArgs): Promise<{ available: boolean; folders: WatchedFolder[] }> {
      fields(input, [], 'watchedFolders');
      return { available: deps.watcher.live, folders: await deps.watcher.list() };
    },

    async settings(input?: NoArgs): Promise<SettingView[]> {
      fields(input, [], 'settings');
      return deps.settings();
    },

    async languages(input?: NoArgs): Promise<InstalledLanguage[]> {
      fields(input, [], 'languages');
      return deps.languages();
    },

    /** Failed jobs, newest failure first: path, kind, message, attempts. */
    async failures(input?: NoArgs): Promise<FailureRow[]> {
      fields(input, [], 'failures');
      return store.listFailures();
    },

    /** A file's recognised text (pages separated by form feeds), or why there is none yet. */
    async text(input: { path: string }): Promise<DocumentText> {
      const path = str(fields(input, ['path'], 'text'), 'path');
      const doc = await store.getDocumentByPath(path);
      if (!doc) {
        // Found by a walk and not read: say why, not "add it" (adding it again would not help).
        const skipped = (await store.listSkipped(1, [path])).files.find((f) => f.path === path);
        if (skipped) {
          throw new QuireError('not_read', `${path} is not read by Quire: ${skipped.message} (${SKIP_REASON_TEXT[skipped.reason]}).`);
        }
        throw new QuireError('not_found', `${path} is not in Quire's queue.`);
      }
      return {
        path: doc.path,
        status: doc.ocrStatus,
        text: doc.ocrStatus === 'completed' ? (doc.text ?? '') : null,
        errorKind: doc.ocrErrorKind,
        errorMessage: doc.ocrError,
      };
    },

    /** Failed jobs as CSV (path, error kind, reason, message, attempts, job id). */
    async exportFailuresCsv(input?: NoArgs): Promise<string> {
      fields(input, [], 'exportFailuresCsv');
      let out = csvLine(['path', 'error_kind', 'reason', 'message', 'attempts', 'job_id']);
      for (const r of await store.listFailures()) {
        out += csvLine([r.path, r.kind, kindMessage(r.kind), r.message, r.attempts, r.jobId]);
      }
      return out;
    },

    // --------------------------------------------------------------- commands
    /**
     * Add files and folders (walked recursively); `watch` also watches each folder for new files.
     * `languages` ('deu+eng'): OCR languages for these files (and folders); default: the setting.
     */
    async addPaths(input: { paths: string[]; watch?: boolean; languages?: string }): Promise<IngestSummary & { ingestId: string; watched: WatchedFolder[] }> {
      const o = fields(input, ['paths', 'watch', 'languages'], 'addPaths');
      const paths = strList(o, 'paths');
      const watch = optBool(o, 'watch') ?? false;
      const languages = await languageChoice(o, deps.languages);
      const ingestId = deps.newId();
      const summary = await deps.ingest(paths, (p) => deps.emit('ingestProgress', { ...p, id: ingestId, done: false }), languages);
      deps.emit('ingestProgress', { ...summary, id: ingestId, done: true });
      const watched: WatchedFolder[] = [];
      if (watch) {
        for (const p of paths) watched.push(await deps.watcher.add(p, languages ? { languages } : {}));
        await watchersChanged();
      }
      await changed();
      return { ...summary, ingestId, watched };
    },

    /**
     * Write the text of every completed document under `out` (absolute), mirroring each file's
     * path: .txt, .json and/or searchable .pdf. Progress as exportProgress events.
     */
    async exportDocuments(input: { out: string; formats?: ExportFormat[] }): Promise<ExportSummary & { exportId: string }> {
      const o = fields(input, ['out', 'formats'], 'exportDocuments');
      const out = str(o, 'out');
      if (!isAbsolutePath(out)) throw bad('"out" must be an absolute folder path.');
      const formats = o.formats === undefined ? ['txt'] : strList(o, 'formats');
      for (const f of formats) {
        if (!(EXPORT_FORMATS as readonly string[]).includes(f)) throw bad(`Unknown export format "${f}": choose from ${EXPORT_FORMATS.join(', ')}.`);
      }
      const exportId = deps.newId();
      const report = await deps.exportTo({ out, formats: [...new Set(formats)] as ExportFormat[], onProgress: (documents) => deps.emit('exportProgress', { id: exportId, documents, done: false }) });
      deps.emit('exportProgress', { id: exportId, documents: report.documents, done: true });
      return { ...report, exportId };
    },

    async cancel(input: { jobId: string } | { allPending: true }): Promise<number> {
      const o = fields(input, ['jobId', 'allPending'], 'cancel');
      let n: number;
      if (optBool(o, 'allPending')) {
        if (o.jobId !== undefined) throw bad('Give either "jobId" or "allPending", not both.');
        n = await store.cancel({ allPending: true });
      } else {
        const jobId = str(o, 'jobId', { max: 100 });
        n = await store.cancel({ jobId });
        if (n === 0) throw new QuireError('not_found', `No pending or processing job with id ${jobId}: there is nothing to cancel.`);
      }
      await changed();
      return n;
    },

    async pause(input?: NoArgs): Promise<QueueStats> {
      fields(input, [], 'pause');
      await store.setPaused(true);
      const s = await store.stats();
      deps.emit('statsChanged', s);
      return s;
    },

    async resume(input?: NoArgs): Promise<QueueStats> {
      fields(input, [], 'resume');
      await store.setPaused(false);
      const s = await store.stats();
      deps.emit('statsChanged', s);
      return s;
    },

    /** How many OCR workers this host allows now and why (battery, idle, schedule). */
    async power(input?: NoArgs): Promise<PowerView> {
      fields(input, [], 'power');
      return needPool('see its power state').power();
    },

    /** "Run at full speed now": this host lifts battery, idle and schedule limits until the queue has nothing left to do. */
    async runFullSpeedNow(input?: NoArgs): Promise<PowerView> {
      fields(input, [], 'runFullSpeedNow');
      return needPool('run at full speed').runFullSpeedNow();
    },

    /** Ends "run at full speed now": battery, idle and schedule limits apply again. */
    async endFullSpeed(input?: NoArgs): Promise<PowerView> {
      fields(input, [], 'endFullSpeed');
      return needPool('end full speed').endFullSpeed();
    },

    /** Saves concurrent_ocr_jobs and applies it to this host's pool, if it runs one. */
    async setConcurrency(input: { value: number }): Promise<{ setting: SettingView; applied: boolean }> {
      const value = optInt(fields(input, ['value'], 'setConcurrency'), 'value', 1, 64);
      if (value === undefined) throw bad('"value" must be a whole number from 1 to 64.');
      const setting = await deps.setSetting('concurrent_ocr_jobs', value);
      if (deps.pool) await deps.pool.setConcurrency(setting.value as number);
      return { setting, applied: Boolean(deps.pool) };
    },

    /** Saved at once; the host that watches (this one, when it runs a watcher) starts on it. `notes` are things to know. */
    async addWatchedFolder(input: { path: string } & WatchFolderOptions): Promise<WatchedFolder & { notes: string[] }> {
      const o = fields(input, ['path', 'outputDir', 'poll', 'txt', 'pdf', 'ignore', 'languages'], 'addWatchedFolder');
      const path = str(o, 'path');
      const outputDir = optStr(o, 'outputDir');
      const languages = await languageChoice(o, deps.languages);
      const options: WatchFolderOptions = {
        poll: optBool(o, 'poll'),
        txt: optBool(o, 'txt'),
        pdf: optBool(o, 'pdf'),
        ...(o.ignore !== undefined ? { ignore: strList(o, 'ignore', { allowEmpty: true }) } : {}),
        ...(outputDir ? { outputDir } : {}),
        ...(languages ? { languages } : {}),
      };
      const f = await deps.watcher.add(path, options);
      await watchersChanged();
      return f;
    },

    async removeWatchedFolder(input: { path: string }): Promise<boolean> {
      const path = str(fields(input, ['path'], 'removeWatchedFolder'), 'path');
      const removed = await deps.watcher.remove(path);
      await watchersChanged();
      return removed;
    },

    /** Validates every value first; saves all or none. */
    async updateSettings(input: { values: Record<string, unknown> }): Promise<SettingsUpdate> {
      const o = fields(input, ['values'], 'updateSettings');
      if (o.values === undefined || o.values === null) throw bad('"values" must be an object of setting names and values.');
      const values = record(o.values, 'values');
      const errors: SettingsUpdate['errors'] = [];
      for (const [key, value] of Object.entries(values)) {
        try {
          deps.checkSetting(key, value);
        } catch (err) {
          errors.push({ key, message: err instanceof QuireError ? err.message : String(err) });
        }
      }
      if (errors.length === 0) {
        for (const [key, value] of Object.entries(values)) await deps.setSetting(key, value);
        if (deps.pool && 'concurrent_ocr_jobs' in values) {
          const c = (await deps.settings()).find((s) => s.key === 'concurrent_ocr_jobs');
          if (c) await deps.pool.setConcurrency(c.value as number);
        } else if (deps.pool && Object.keys(values).some((k) => POWER_KEYS.has(k))) {
          await deps.pool.settingsChanged();
        }
      }
      return { settings: await deps.settings(), errors };
    },
  };
}

export type ApiHandlers = ReturnType<typeof createHandlers>;
