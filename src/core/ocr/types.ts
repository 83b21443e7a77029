/**
 * The OcrEngine seam: one engine per worker process. The tesseract.js engine implements it for
 * real; a fake engine implements it for scheduling tests (queue, pool) that are not about OCR.
 */
import type { ErrorKind } from '../../shared/errors';
import type { OcrResult } from '../../shared/results';
import type { OcrModel } from '../config/languages';

export interface OcrInput {
  /** For messages only: the engine never opens the file. */
  path: string;
  /** mime type guessed at ingest; engines check the bytes themselves. */
  kind: string;
  /**
   * The file's bytes, read once by the worker, which hashed exactly these: what is decoded and
   * what is recorded as the content hash can never be two versions of a file.
   */
  bytes: Buffer;
  /**
   * This job's OCR languages ('deu+eng'), when they differ from the engine's default (a watched
   * folder's or a run's choice). Each must be installed in the engine's langPath.
   */
  languages?: string;
}

export interface RecognizeOptions {
  /** Called as each page starts: page is 1-based. */
  onProgress?: (page: number, pages: number) => void;
}

export interface OcrEngine {
  readonly name: string;
  /** Resolves with the result, or rejects with an OcrError carrying the failure kind. */
  recognize(input: OcrInput, opts?: RecognizeOptions): Promise<OcrResult>;
  close(): Promise<void>;
}

export interface OcrEngineOptions {
  /** tesseract language codes joined by '+', e.g. 'eng' or 'eng+fra'. */
  languages: string;
  /** Folder holding <lang>.traineddata(.gz) files. */
  langPath: string;
  /** In PDFs, treat pages that already carry invisible OCR text as born-digital. */
  keepExistingText: boolean;
  /** The English model (the ocr_model setting); default best. */
  model?: OcrModel;
  /** The folder of the fast model (Environment.tessdataFastDir); without it, tessdata-fast beside langPath. */
  fastLangPath?: string;
}

export type OcrEngineFactory = (opts: OcrEngineOptions) => Promise<OcrEngine>;

/** A failure with a kind, as stored in the queue. */
export class OcrError extends Error {
  readonly kind: ErrorKind;
  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OcrError';
    this.kind = kind;
  }
}

/** One page of a file as an image for the viewer (a worker request's answer). */
export interface PageImageValue {
  readonly mime: string;
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}
