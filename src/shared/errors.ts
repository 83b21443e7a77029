/**
 * Failure kinds a job can end with, and the one error type that crosses layers.
 * Kinds are data (stored in ocr_queue.error_kind and documents.ocr_error_kind), so they are
 * plain strings, never class names.
 */
export const ERROR_KINDS = [
  'unsupported_format',
  'corrupt_file',
  'file_missing',
  'permission_denied',
  'password_protected',
  'too_large',
  'timeout',
  'worker_crashed',
  'out_of_memory',
  'engine_error',
  'cancelled',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Inputs that can never succeed as they are: retrying them only burns time (the 'fix_file' kinds below). */
export function isPermanent(kind: ErrorKind): boolean {
  return FAILURE_REMEDY[kind] === 'fix_file';
}

/**
 * What a person can do about a failure, per kind (issue 13). 'fix_file': the file itself is the
 * problem (damaged, protected, too large, unreadable, gone), so running it again as it is fails
 * the same way: fix or replace the file, then requeue (Quire requeues it only once its size or
 * modification time changed, or when forced). 'retry': the run went wrong, not the file (time
 * limit, crash, memory, engine), so another attempt may succeed. 'cancelled' is not a failure:
 * requeueing it always runs it. The CLI, the API and the UI all decide from this one table.
 */
export type FailureRemedy = 'fix_file' | 'retry';
export const FAILURE_REMEDY: Readonly<Record<ErrorKind, FailureRemedy>> = {
  unsupported_format: 'fix_file',
  corrupt_file: 'fix_file',
  file_missing: 'fix_file',
  permission_denied: 'fix_file',
  password_protected: 'fix_file',
  too_large: 'fix_file',
  timeout: 'retry',
  worker_crashed: 'retry',
  out_of_memory: 'retry',
  engine_error: 'retry',
  cancelled: 'retry',
};

/** A failure without a recorded kind (older versions) counts as one a retry may help. */
export function failureRemedy(kind: ErrorKind | string | null): FailureRemedy {
  return isErrorKind(kind) ? FAILURE_REMEDY[kind] : 'retry';
}

/** The kinds whose files must change before a requeue can help. */
export const FIX_FILE_KINDS: readonly ErrorKind[] = ERROR_KINDS.filter((k) => FAILURE_REMEDY[k] === 'fix_file');

/** What to do about a failure of this kind, as one short phrase for a hint or a button's title. */
export function remedyAdvice(kind: ErrorKind | string | null): string {
  return failureRemedy(kind) === 'fix_file'
    ? 'fix or replace the file, then requeue it (Quire requeues it once the file has changed)'
    : 'requeue it: another attempt may succeed';
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}

/** What a person should read for each kind: what happened and what they can do. */
export const ERROR_KIND_MESSAGES: Readonly<Record<ErrorKind, string>> = {
  unsupported_format: 'The file is not an image or PDF that Quire can read.',
  corrupt_file: 'The file is damaged or truncated and could not be decoded.',
  file_missing: 'The file was moved or deleted before it could be read.',
  permission_denied: 'Quire is not allowed to read the file; check its permissions.',
  password_protected: 'The PDF is protected by a password; save an unprotected copy and add that.',
  too_large: 'The file or one of its pages is larger than Quire will decode.',
  timeout: 'One page took longer than the time limit (ocr_timeout_seconds, per page).',
  worker_crashed: 'The OCR worker process stopped unexpectedly while reading this file.',
  out_of_memory: 'The OCR worker ran out of memory on this file.',
  engine_error: 'The OCR engine reported an error on this file.',
  cancelled: 'The job was cancelled.',
};

/**
 * An error with a stable code and a message meant for a person (one sentence, no stack).
 * The CLI prints `message` alone; --verbose adds the stack.
 */
export class QuireError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QuireError';
    this.code = code;
  }
}
