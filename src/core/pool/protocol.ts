/**
 * Messages between the pool supervisor (parent) and an OCR worker process. Readonly
 * discriminated unions; every request carries a correlation id that its replies echo, so a late
 * reply from a job the parent has given up on can never be mistaken for the current one.
 * Errors cross as data ({name, message, kind}), never as thrown objects.
 *
 * Workers never touch the database: they get {jobId, path, kind}, read only that file, and send
 * back a content hash, page progress and a result. The parent owns every store call. Requests
 * (a page image for the viewer, a searchable PDF) are decoding work a host needs outside the
 * queue: they run in worker processes too, so a host process never decodes a user's file.
 */
import type { ErrorKind } from '../../shared/errors';
import { isErrorKind } from '../../shared/errors';
import type { OcrEngineOptions, PageImageValue } from '../ocr/types';

export type { PageImageValue };
import type { OcrResult } from '../../shared/results';

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly kind: ErrorKind;
}

// Parent -> worker.
export type ParentMessage =
  | {
      readonly type: 'init';
      readonly id: number;
      /** Engine registry name (src/worker/engines.ts), or null for a worker that serves requests only. */
      readonly engine: string | null;
      readonly engineOptions: OcrEngineOptions;
      /** The hard memory limit of this process (its watchdog ends it past that); absent: none. */
      readonly maxRssBytes?: number;
    }
  /** languages: the job's own OCR languages ('deu+eng'); absent: the engine's (the ocr_languages setting). */
  | { readonly type: 'job'; readonly id: number; readonly jobId: string; readonly path: string; readonly kind: string; readonly languages?: string }
  /** Answer to `hashed`: reuse means an identical file is already done, so skip the OCR. */
  | { readonly type: 'hash-verdict'; readonly id: number; readonly reuse: boolean }
  | { readonly type: 'request'; readonly id: number; readonly request: WorkerRequest }
  /** Finish nothing new; close the engine and exit 0. */
  | { readonly type: 'shutdown' };

/** Decoding a host needs outside the queue, answered by `request-done`. */
export type WorkerRequest =
  /** One page of a file as an image for the viewer (null when the page cannot be shown as pixels). */
  | { readonly kind: 'page-image'; readonly path: string; readonly pageNo: number }
  /** A searchable PDF of a file (each page's image with its recognised text). */
  | { readonly kind: 'searchable-pdf'; readonly path: string; readonly engineOptions: OcrEngineOptions };


export type RequestValue<R extends WorkerRequest['kind']> = R extends 'page-image' ? PageImageValue | null : Uint8Array;

/** How the spawner tells a worker its host's pid (an argument: `--quire-parent-pid=<pid>`). */
export const PARENT_PID_ARG = '--quire-parent-pid';

/** The exit signal of a worker its watchdog ended for passing its memory limit. */
export const MEMORY_LIMIT_SIGNAL = 'SIGUSR2';

/** How often a busy worker reports its resident set size. */
export const MEMORY_REPORT_MS = 250;

// Worker -> parent.
export type WorkerMessage =
  | { readonly type: 'ready'; readonly id: number; readonly pid: number; readonly engine: string }
  | { readonly type: 'init-failed'; readonly id: number; readonly error: WireError }
  | { readonly type: 'hashed'; readonly id: number; readonly contentHash: string }
  | { readonly type: 'progress'; readonly id: number; readonly page: number; readonly pages: number }
  /** Sent every MEMORY_REPORT_MS while a job runs, so a leak is stopped before it takes the machine. */
  | { readonly type: 'memory'; readonly id: number; readonly rss: number }
  | {
      readonly type: 'job-done';
      readonly id: number;
      readonly outcome:
        | { readonly ok: true; readonly result: OcrResult }
        | { readonly ok: true; readonly reused: true }
        | { readonly ok: false; readonly error: WireError };
      /** Resident set size after the job, for recycling bloated workers. */
      readonly rss: number;
    }
  | {
      readonly type: 'request-done';
      readonly id: number;
      readonly outcome: { readonly ok: true; readonly value: PageImageValue | Uint8Array | null } | { readonly ok: false; readonly error: WireError };
      readonly rss: number;
    };

/** Turn anything thrown into wire data. Errors carrying a known `kind` keep it. */
export function toWireError(err: unknown, fallback: ErrorKind = 'engine_error'): WireError {
  const e = err as { name?: unknown; message?: unknown; kind?: unknown; code?: unknown } | null;
  const kind = isErrorKind(e?.kind) ? e.kind : kindForErrno(e?.code) ?? fallback;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    kind,
  };
}

/** File-system errors a worker meets while reading its file. */
export function kindForErrno(code: unknown): ErrorKind | undefined {
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'file_missing';
    case 'EACCES':
    case 'EPERM':
      return 'permission_denied';
    case 'EISDIR':
      return 'unsupported_format';
    default:
      return undefined;
  }
}

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
