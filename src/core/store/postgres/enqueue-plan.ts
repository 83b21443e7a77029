/**
 * Enqueue decisions for a batch, made in memory from one lookup of the batch's documents (and
 * their live jobs), so the writes are a few set-based statements instead of a round trip per
 * file. The decisions are exactly those of the SQLite store's row-by-row loop, in input order
 * against the running state: a path listed twice sees its own first occurrence.
 */
import { randomUUID } from 'node:crypto';
import type { EnqueueBatchResult, EnqueueOutcome, FileToEnqueue } from '../types';

export interface KnownDocument {
  id: string;
  size: number;
  mtime: number;
  /** Has a pending or processing job. */
  live: boolean;
  /** The languages the document was last read with (completed documents). */
  ocrLanguages?: string | null;
  completed?: boolean;
  /** Its current job was cancelled. */
  cancelled?: boolean;
  /** The languages of its pending job; undefined when it has none (or the job is processing). */
  pendingLanguages?: string | null;
}

export interface EnqueuePlan {
  result: EnqueueBatchResult;
  newDocs: { id: string; path: string; size: number; mtime: number; kind: string }[];
  docUpdates: { id: string; size: number; mtime: number; kind: string }[];
  /** Documents whose failed/cancelled jobs the new job replaces. */
  supersede: string[];
  /** `index` is the file's position in the batch (for its outcome). */
  jobs: { id: string; documentId: string; priority: number; size: number; index: number; languages: string | null }[];
  /** Pending jobs that take other languages (their file was enqueued again with them). */
  languageUpdates: { documentId: string; languages: string }[];
}

/** Asked for with other languages than the document was read with. */
function otherLanguages(f: FileToEnqueue, d: Omit<KnownDocument, 'live'>): boolean {
  return f.languages !== undefined && f.languages !== (d.ocrLanguages ?? null);
}

/** Documents whose file differs from what is stored (or whose job was cancelled): only these need the live-job lookup. */
export function changedDocumentIds(files: readonly FileToEnqueue[], known: ReadonlyMap<string, Omit<KnownDocument, 'live'>>): string[] {
  const ids = new Set<string>();
  for (const f of files) {
    const d = known.get(f.path);
    if (d && (d.cancelled || !(d.size === f.size && d.mtime === Math.trunc(f.mtimeMs)) || otherLanguages(f, d))) ids.add(d.id);
  }
  return [...ids];
}

export function planEnqueue(
  files: readonly FileToEnqueue[],
  known: Map<string, KnownDocument>,
  priorityForSize: (bytes: number) => number,
): EnqueuePlan {
  const outcomes: EnqueueOutcome[] = [];
  const result: EnqueueBatchResult = { enqueued: 0, unchanged: 0, alreadyQueued: 0, requeued: 0, outcomes };
  const newDocs = new Map<string, EnqueuePlan['newDocs'][number]>();
  const docUpdates = new Map<string, EnqueuePlan['docUpdates'][number]>();
  const supersede: string[] = [];
  const jobs: EnqueuePlan['jobs'] = [];
  const languageUpdates = new Map<string, string>();
  const addJob = (documentId: string, size: number, languages: string | undefined) =>
    jobs.push({ id: randomUUID(), documentId, priority: priorityForSize(size), size, index: outcomes.length, languages: languages ?? null });
  /** The pending job takes the file's languages; true when they were other ones. */
  const retarget = (doc: KnownDocument, languages: string | undefined): boolean => {
    if (languages === undefined || doc.pendingLanguages === undefined || doc.pendingLanguages === languages) return false;
    doc.pendingLanguages = languages;
    const fresh = jobs.find((j) => j.documentId === doc.id);
    if (fresh) fresh.languages = languages;
    else languageUpdates.set(doc.id, languages);
    return true;
  };
  for (const f of files) {
    const mtime = Math.trunc(f.mtimeMs);
    const doc = known.get(f.path);
    let outcome: EnqueueOutcome;
    if (!doc) {
      const id = randomUUID();
      known.set(f.path, { id, size: f.size, mtime, live: true, pendingLanguages: f.languages ?? null });
      newDocs.set(id, { id, path: f.path, size: f.size, mtime, kind: f.kind });
      addJob(id, f.size, f.languages);
      outcome = 'enqueued';
    } else if (doc.size === f.size && doc.mtime === mtime) {
      outcome = 'unchanged';
      if (doc.cancelled && !doc.live) {
        // Cancelled, then added again: the person wants it read after all.
        supersede.push(doc.id);
        addJob(doc.id, f.size, f.languages);
        Object.assign(doc, { live: true, cancelled: false, pendingLanguages: f.languages ?? null });
        outcome = 'requeued';
      } else if (otherLanguages(f, doc)) {
        // Asked for with other languages than it was read with (or is queued with).
        if (doc.live) {
          if (retarget(doc, f.languages)) outcome = 'already_queued';
        } else if (doc.completed) {
          supersede.push(doc.id);
          addJob(doc.id, f.size, f.languages);
          Object.assign(doc, { live: true, completed: false, pendingLanguages: f.languages ?? null });
          outcome = 'enqueued';
        }
      }
    } else {
      doc.size = f.size;
      doc.mtime = mtime;
      // A document new in this batch is inserted with its final file fields.
      const fresh = newDocs.get(doc.id);
      if (fresh) Object.assign(fresh, { size: f.size, mtime, kind: f.kind });
      else docUpdates.set(doc.id, { id: doc.id, size: f.size, mtime, kind: f.kind });
      if (doc.live) {
        retarget(doc, f.languages);
        outcome = 'already_queued';
      } else {
        // The new job supersedes old failed or cancelled ones: one row tells the document's state.
        supersede.push(doc.id);
        addJob(doc.id, f.size, f.languages);
        Object.assign(doc, { live: true, completed: false, cancelled: false, pendingLanguages: f.languages ?? null });
        outcome = 'enqueued';
      }
    }
    outcomes.push(outcome);
    if (outcome === 'enqueued') result.enqueued++;
    else if (outcome === 'unchanged') result.unchanged++;
    else if (outcome === 'requeued') result.requeued++;
    else result.alreadyQueued++;
  }
  return {
    result,
    newDocs: [...newDocs.values()],
    docUpdates: [...docUpdates.values()],
    supersede,
    jobs,
    languageUpdates: [...languageUpdates].map(([documentId, languages]) => ({ documentId, languages })),
  };
}
