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

/** Inputs that can never succeed as they are: retrying them only burns time. */
const PERMANENT: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'unsupported_format',
  'corrupt_file',
  'file_missing',
  'permission_denied',
  'password_protected',
  'too_large',
]);

export function isPermanent(kind: ErrorKind): boolean {
  return PERMANENT.has(kind);
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
