/**
 * What the API hands its front ends (the renderer over IPC or HTTP, the CLI in-process): views
 * shaped for a person, not database rows.
 */
import type { FailureGroup } from './listings';
import type { DocumentRow } from './jobs';
import type { PageResult } from './results';
import type { NotReadSummary } from './skipped';

export interface WorkerView {
  id: string;
  state: 'starting' | 'idle' | 'busy' | 'stopping';
  jobId: string | null;
  path: string | null;
  page: number | null;
  pages: number | null;
  /** When the current job started (ms), null when idle. */
  since: number | null;
}

/** How many OCR workers this host allows now and why (battery, idle, schedule), and what the machine reports. */
export interface PowerView {
  workersAllowed: number;
  /** The count at full speed ("1 of 4 workers"). */
  fullWorkers: number;
  /** Why fewer than fullWorkers run, e.g. "1 of 4 workers: on battery (43%)"; null at full speed. */
  throttleReason: string | null;
  /** "Run at full speed now" is on, until the queue next has nothing pending or processing. */
  override: boolean;
  /** While the override is on: the throttle it lifts. */
  overridden: string | null;
  onBattery: boolean | null;
  batteryPercent: number | null;
  idleSeconds: number | null;
  locked: boolean | null;
  /** For each signal this machine does not report, a sentence saying why (the rule is not applied). */
  unavailable: Partial<Record<'onBattery' | 'batteryPercent' | 'idleSeconds' | 'locked', string>>;
}

export interface WorkersView {
  /** 'pool' when this host runs workers; 'external' when only other processes (quire worker) are seen working. */
  source: 'pool' | 'external' | 'none';
  workers: WorkerView[];
}

export interface WatchedFolder {
  path: string;
  state: 'starting' | 'watching' | 'polling' | 'unavailable' | 'error' | 'stopped';
  /** A sentence saying why, when polling (network share, watch limit), unavailable or in error. */
  error: string | null;
  /** Files seen under the folder, when known. */
  files: number | null;
  /** What the user chose when adding it. */
  poll: boolean;
  outputs: { txt: boolean; pdf: boolean; dir: string | null };
  /** Ignore patterns (gitignore-style). */
  ignore: string[];
  /** OCR languages for its files ('deu+eng'); null: the ocr_languages setting. */
  languages: string | null;
  /** When a host last finished scanning the folder. */
  lastScanAt: number | null;
  /**
   * Outputs the host could not write since it started (a name the file system cannot take):
   * how many, and the latest with why. Absent when none were skipped.
   */
  skippedOutputs?: { count: number; recent: { path: string; reason: string }[] };
  /** Files under the folder the host could not queue (a name that is not UTF-8, a broken link), likewise. */
  skippedFiles?: { count: number; recent: { path: string; reason: string }[] };
}

/** Choices when adding a watched folder: polling, and outputs written when each file is done. */
export interface WatchFolderOptions {
  poll?: boolean;
  /** gitignore-style patterns of files not to take. */
  ignore?: string[];
  txt?: boolean;
  pdf?: boolean;
  /** Absolute folder for the outputs (mirroring the tree); default: next to each source. */
  outputDir?: string;
  /** OCR languages for the folder's files ('deu+eng'); default: the ocr_languages setting. */
  languages?: string;
}

/** A setting as the settings screen shows it (config.ts ResolvedSetting fits). */
export interface SettingView {
  key: string;
  value: number | boolean | string | string[];
  source: 'default' | 'setting' | 'env';
  persisted: boolean;
  env: string;
  description: string;
  accepts: string;
  /** When a running Quire applies a change: at once, from the next file, or after a restart. */
  applies: 'now' | 'next_file' | 'restart';
  /** The same in one sentence, with the reason when a restart is needed. */
  appliesNote: string;
  /** Set when the value asked for was capped (more workers than CPU cores): the sentence that says so. */
  capped?: string;
}

export interface SettingsUpdate {
  settings: SettingView[];
  /** One sentence per refused value; when not empty, nothing was saved. */
  errors: { key: string; message: string }[];
}

export interface IngestSummary {
  seen: number;
  enqueued: number;
  unchanged: number;
  alreadyQueued: number;
  /** Unchanged files whose job had been cancelled, queued again because they were added again. */
  requeued: number;
  unsupported: number;
  unreadable: number;
  unreadableFiles: { path: string; reason: string }[];
  /** Every file under the paths that was not read, counted by reason, the first ones named. */
  notRead: NotReadSummary;
}

export interface PageImage {
  mime: string;
  /** base64 of the image bytes, so the same value crosses IPC and HTTP. */
  base64: string;
  width: number;
  height: number;
}

export interface FailureGroupView extends FailureGroup {
  /** What a person should read: what happened and what they can do. */
  message: string;
}

export type DocumentView = Omit<DocumentRow, 'text'> & { pages: PageResult[] };

/** What a requeue did: how many jobs went back to the queue, and which were left as they are, and why. */
export interface RequeueSummary {
  requeued: number;
  /** Jobs left as they are, one entry per reason and kind. */
  left: { kind: string | null; reason: string; count: number }[];
  /** One sentence: "2 requeued; 4 left: the file has not changed since it failed (4 corrupt_file)." */
  message: string;
}

/** A file's text as `quire text` and the viewer read it. */
export interface DocumentText {
  path: string;
  status: DocumentRow['ocrStatus'];
  /** Pages joined by form feeds; null until the document is completed. */
  text: string | null;
  errorKind: string | null;
  errorMessage: string | null;
}

export type ExportFormat = 'txt' | 'json' | 'pdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['txt', 'json', 'pdf'];

export interface ExportSummary {
  documents: number;
  files: number;
  /** Each file not written, with the reason (a source that is gone, a name the file system refuses). */
  skipped: { path: string; reason: string }[];
}
