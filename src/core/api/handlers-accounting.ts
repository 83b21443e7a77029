/**
 * The handlers that account for every file: the files Quire does not read, what a run's paths
 * hold, and requeueing, dismissing and removing. Part of the one handler object (handlers.ts);
 * like it, this file imports no Node modules (its types are checked in the renderer's program).
 */
import { ERROR_KINDS, type ErrorKind, QuireError } from '../../shared/errors';
import { type PathTally, type SkippedList } from '../../shared/skipped';
import type { RequeueSummary } from '../../shared/views';
import type { JobStore, RequeueStatus } from '../store/types';
import { removeDocumentsAt } from './remove';
import { type FileFacts, requeueJobs } from './requeue';
import { bad, fields, isAbsolutePath, oneOf, optBool, optInt, str, strList } from './validate';

const REQUEUE_STATUSES: readonly RequeueStatus[] = ['failed', 'cancelled'];

/** What these handlers need of the API's dependencies (ApiDeps has them). */
export interface AccountingDeps {
  store: JobStore;
  /** The file's size, mtime and readability now; null when there is no file at `path`. */
  fileFacts(path: string): Promise<FileFacts | null>;
}

export function accountingHandlers(deps: AccountingDeps, changed: () => Promise<void>) {
  const { store } = deps;
  const requeueWith = async (o: Record<string, unknown>, statuses: readonly RequeueStatus[]): Promise<RequeueSummary> => {
    // A filter that is given must be valid: an empty or null one must not widen to every job.
    const kind = o.kind === undefined ? undefined : oneOf(o, 'kind', ERROR_KINDS);
    const jobId = o.jobId === undefined ? undefined : str(o, 'jobId', { max: 100 });
    const folder = o.folder === undefined ? undefined : str(o, 'folder');
    if (folder !== undefined && !isAbsolutePath(folder)) throw bad('"folder" must be an absolute folder path.');
    const r = await requeueJobs(store, deps.fileFacts, {
      statuses,
      force: optBool(o, 'force') ?? false,
      ...(kind ? { kind } : {}),
      ...(jobId ? { jobId } : {}),
      ...(folder ? { folder } : {}),
    });
    await changed();
    return r;
  };

  return {
    /**
     * Files under the added paths and watched folders that Quire does not read, with why: counted
     * by reason, the first `limit` (default 1000) by path; only under `paths` (absolute) when given.
     */
    async skippedFiles(input?: { limit?: number; paths?: string[] }): Promise<SkippedList> {
      const o = fields(input, ['limit', 'paths'], 'skippedFiles');
      const limit = optInt(o, 'limit', 1, 100_000) ?? 1000;
      const paths = o.paths === undefined ? undefined : strList(o, 'paths');
      for (const p of paths ?? []) if (!isAbsolutePath(p)) throw bad(`"paths" must be absolute paths: "${p}" is not.`);
      return store.listSkipped(limit, paths);
    },

    /**
     * Every file at or under `paths` (absolute): documents counted by state, the first `limit`
     * (default 1000) not completed named, and the files not read. What `quire run` reports.
     */
    async accountFor(input: { paths: string[]; limit?: number }): Promise<PathTally & { notRead: SkippedList }> {
      const o = fields(input, ['paths', 'limit'], 'accountFor');
      const paths = strList(o, 'paths');
      for (const p of paths) if (!isAbsolutePath(p)) throw bad(`"paths" must be absolute paths: "${p}" is not.`);
      const limit = optInt(o, 'limit', 1, 100_000) ?? 1000;
      const [tally, notRead] = await Promise.all([store.tallyUnder(paths, limit), store.listSkipped(limit, paths)]);
      return { ...tally, notRead };
    },

    /**
     * Failed and/or cancelled jobs back to the queue (`statuses`, default both), narrowed by
     * `kind`, `folder` (absolute) or `jobId` (unknown or not requeueable: an error naming it).
     * Failures whose file must be fixed go back only when the file changed, unless `force`.
     */
    async requeue(input?: { statuses?: RequeueStatus[]; kind?: ErrorKind; jobId?: string; folder?: string; force?: boolean }): Promise<RequeueSummary> {
      const o = fields(input, ['statuses', 'kind', 'jobId', 'folder', 'force'], 'requeue');
      const statuses = o.statuses === undefined ? REQUEUE_STATUSES : strList(o, 'statuses');
      for (const st of statuses) {
        if (!(REQUEUE_STATUSES as readonly string[]).includes(st)) throw bad(`Unknown status "${st}": choose from ${REQUEUE_STATUSES.join(', ')}.`);
      }
      return requeueWith(o, statuses as RequeueStatus[]);
    },

    /** Failed jobs only: `requeue` with statuses ['failed']. */
    async requeueFailed(input?: { kind?: ErrorKind; jobId?: string; force?: boolean }): Promise<RequeueSummary> {
      return requeueWith(fields(input, ['kind', 'jobId', 'force'], 'requeueFailed'), ['failed']);
    },

    /** Dismiss failures (`jobId`, `kind`, `folder` or `all`): they leave the list and the failed count; documents and files stay. */
    async dismissFailures(input: { jobId?: string; kind?: ErrorKind; folder?: string; all?: boolean }): Promise<number> {
      const o = fields(input, ['jobId', 'kind', 'folder', 'all'], 'dismissFailures');
      const kind = o.kind === undefined ? undefined : oneOf(o, 'kind', ERROR_KINDS);
      const jobId = o.jobId === undefined ? undefined : str(o, 'jobId', { max: 100 });
      const folder = o.folder === undefined ? undefined : str(o, 'folder');
      const all = optBool(o, 'all') ?? false;
      if (!kind && !jobId && !folder && !all) throw bad('Say which failures to dismiss: "jobId", "kind", "folder", or "all": true.');
      if (all && (kind || jobId || folder)) throw bad('Give either "all" or a filter, not both.');
      if (jobId) {
        const job = await store.getJob(jobId);
        if (!job) throw new QuireError('not_found', `There is no job with id ${jobId}.`);
        if (job.status !== 'failed') throw new QuireError('not_failed', `Job ${jobId} is ${job.status}, not failed: there is nothing to dismiss.`);
      }
      const n = await store.dismissFailures({ ...(kind ? { kind } : {}), ...(jobId ? { jobId } : {}), ...(folder ? { folder } : {}) });
      await changed();
      return n;
    },

    /** Remove documents from Quire (queue, lists, search): files or folders (src/core/api/remove.ts). Files are never touched. */
    async removeDocuments(input: { paths: string[] }): Promise<{ removed: number }> {
      const paths = strList(fields(input, ['paths'], 'removeDocuments'), 'paths');
      for (const p of paths) if (!isAbsolutePath(p)) throw bad(`"${p}" is not an absolute path.`);
      const removed = await removeDocumentsAt(store, paths);
      if (removed === 0) throw new QuireError('not_found', `Nothing in Quire's queue at ${paths.join(', ')}.`);
      await changed();
      return { removed };
    },

  };
}
