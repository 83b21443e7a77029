/**
 * Requeueing finished jobs (issue 13). Cancelled jobs and failures a retry may help go back at
 * once. A "fix the file" failure (src/shared/errors.ts FAILURE_REMEDY) goes back only when its
 * file changed since it failed (size or modification time differ from what the document
 * recorded; a missing file is back; an unreadable one is readable now), or when forced: otherwise
 * it would fail the same way within seconds. Like handlers.ts, no Node modules: the file system
 * is asked through `fileFacts`.
 */
import { type ErrorKind, failureRemedy, FIX_FILE_KINDS, QuireError } from '../../shared/errors';
import type { RequeueSummary } from '../../shared/views';
import type { FileToEnqueue, JobStore, RequeueStatus } from '../store/types';

export interface FileFacts {
  size: number;
  mtimeMs: number;
  /** The process may open it for reading. */
  readable: boolean;
}

export interface RequeueRequest {
  statuses: readonly RequeueStatus[];
  kind?: ErrorKind;
  jobId?: string;
  folder?: string;
  force: boolean;
}

export function isUnder(folder: string, path: string): boolean {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const f = folder.endsWith(sep) ? folder : folder + sep;
  return path.startsWith(f);
}

export async function requeueJobs(
  store: JobStore,
  fileFacts: (path: string) => Promise<FileFacts | null>,
  r: RequeueRequest,
): Promise<RequeueSummary> {
  let statuses = r.statuses;
  if (r.jobId) {
    const job = await store.getJob(r.jobId);
    if (!job) throw new QuireError('not_found', `There is no job with id ${r.jobId}.`);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new QuireError('not_requeueable', `Job ${r.jobId} is ${job.status}: only failed or cancelled jobs can be requeued.`);
    }
    if (!statuses.includes(job.status)) {
      throw new QuireError('not_requeueable', `Job ${r.jobId} is ${job.status}, not ${statuses.join(' or ')}.`);
    }
    statuses = [job.status];
  }
  const filter = { ...(r.kind ? { kind: r.kind } : {}), ...(r.jobId ? { jobId: r.jobId } : {}), ...(r.folder ? { folder: r.folder } : {}) };
  let requeued = 0;
  const left = new Map<string, RequeueSummary['left'][number]>();
  if (statuses.includes('cancelled')) requeued += await store.requeue({ ...filter, statuses: ['cancelled'] });
  if (statuses.includes('failed')) {
    if (r.force) requeued += await store.requeue({ ...filter, statuses: ['failed'] });
    else {
      requeued += await store.requeue({ ...filter, statuses: ['failed'], excludeKinds: FIX_FILE_KINDS });
      if (!r.kind || failureRemedy(r.kind) === 'fix_file') {
        const leave = (kind: string | null, reason: string) => {
          const key = `${kind}\0${reason}`;
          const g = left.get(key) ?? { kind, reason, count: 0 };
          g.count++;
          left.set(key, g);
        };
        const changed: FileToEnqueue[] = [];
        const back: string[] = [];
        for (const f of await store.listFailures()) {
          if (failureRemedy(f.kind) !== 'fix_file') continue;
          if ((r.kind && f.kind !== r.kind) || (r.jobId && f.jobId !== r.jobId) || (r.folder && !isUnder(r.folder, f.path))) continue;
          const now = await fileFacts(f.path);
          const doc = await store.getDocument(f.documentId);
          if (!doc) continue;
          if (!now) leave(f.kind, 'the file is missing');
          else if (now.size !== doc.size || Math.trunc(now.mtimeMs) !== doc.mtimeMs) {
            // Read in the languages the failed job had (a run's --lang, a watched folder's).
            const languages = (await store.getJob(f.jobId))?.languages;
            changed.push({ path: f.path, size: now.size, mtimeMs: now.mtimeMs, kind: doc.kind, ...(languages ? { languages } : {}) });
          } else if ((f.kind === 'file_missing' || f.kind === 'permission_denied') && now.readable) back.push(f.jobId);
          else if (!now.readable) leave(f.kind, 'Quire still may not read the file');
          else leave(f.kind, 'the file has not changed since it failed');
        }
        // A changed file is a new version: added as ingest adds it (new file facts, a new job).
        if (changed.length) {
          const e = await store.enqueueBatch(changed);
          requeued += e.enqueued + e.requeued;
        }
        if (back.length) requeued += await store.requeue({ statuses: ['failed'], jobIds: back });
      }
    }
  }
  const groups = [...left.values()].sort((a, b) => String(a.kind).localeCompare(String(b.kind)));
  return { requeued, left: groups, message: requeueMessage(requeued, groups) };
}

export function requeueMessage(requeued: number, left: RequeueSummary['left']): string {
  const head = `${requeued} requeued`;
  if (left.length === 0) return head + '.';
  const n = left.reduce((a, g) => a + g.count, 0);
  const byReason = new Map<string, string[]>();
  for (const g of left) byReason.set(g.reason, [...(byReason.get(g.reason) ?? []), `${g.count} ${g.kind ?? 'unknown'}`]);
  return `${head}; ${n} left as ${n === 1 ? 'it is' : 'they are'}: ${[...byReason].map(([reason, kinds]) => `${reason} (${kinds.join(', ')})`).join('; ')}.`;
}
