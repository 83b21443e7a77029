/**
 * The one config module. Each value resolves as: default, then the persisted setting (for keys
 * users set in the app or with `quire config set`), then the environment variable, which wins so
 * that a one-off run can override what the app saved. Every value is validated, and an invalid one
 * is refused with a message that names it and says what it accepts.
 */
import { availableParallelism } from 'node:os';
import { QuireError } from '../../shared/errors';
import { addedLanguagesDir, listLanguages } from '../ocr/language-data';
import { defaultTessdataDir, missingLanguages } from '../ocr/languages';
import { resolveDataDir } from '../paths';
import { parsePathMappings, PATH_MAPPINGS_ACCEPTS } from './path-mappings';

export type SettingKey =
  | 'concurrent_ocr_jobs'
  | 'ocr_timeout_seconds'
  | 'enable_background_ocr'
  | 'queue_batch_size'
  | 'max_concurrent_io'
  | 'lease_timeout_seconds'
  | 'ocr_languages'
  | 'keep_existing_text'
  | 'worker_recycle_jobs'
  | 'worker_max_rss_mb'
  | 'path_mappings';

type Value = number | boolean | string;

interface Definition {
  key: SettingKey;
  env: string;
  /** Stored in the database and changeable with `quire config set` / the app's settings. */
  persisted: boolean;
  description: string;
  accepts: string;
  default: () => Value;
  parse: (raw: string) => Value | undefined;
  check: (v: unknown) => v is Value;
  /** Applied after validation (caps that depend on the machine). */
  normalise?: (v: Value) => Value;
}

function intIn(min: number, max: number) {
  return {
    parse: (raw: string) => (/^\s*-?\d+\s*$/.test(raw) ? Number(raw) : undefined),
    check: (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
    accepts: `a whole number from ${min} to ${max}`,
  };
}

const bool = {
  parse: (raw: string) => {
    const t = raw.trim().toLowerCase();
    if (['true', '1', 'on', 'yes'].includes(t)) return true;
    if (['false', '0', 'off', 'no'].includes(t)) return false;
    return undefined;
  },
  check: (v: unknown): v is boolean => typeof v === 'boolean',
  accepts: 'on or off (true/false, 1/0, yes/no)',
};

/** tesseract language codes joined by '+', each installed in the tessdata folder. */
function installedLanguages(): string[] {
  try {
    // Shipped languages and those added to the (default or QUIRE_DATA_DIR) data folder.
    return listLanguages({ shipped: defaultTessdataDir(), added: addedLanguagesDir(resolveDataDir(undefined)) }).map((l) => l.code);
  } catch {
    return []; // no package root (unusual layouts): every language counts as missing
  }
}
const languages = {
  parse: (raw: string) => raw.trim(),
  check: (v: unknown): v is string => {
    if (typeof v !== 'string' || !/^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$/.test(v)) return false;
    return missingLanguages(v, installedLanguages()).length === 0;
  },
};

export const CORES = Math.max(1, availableParallelism());

export const DEFINITIONS: readonly Definition[] = [
  {
    key: 'concurrent_ocr_jobs',
    env: 'OCR_CONCURRENT_JOBS',
    persisted: true,
    description: 'OCR worker processes run at once (capped at the number of CPU cores).',
    default: () => 4,
    ...intIn(1, 64),
    normalise: (v) => Math.min(v as number, CORES),
  },
  {
    key: 'ocr_timeout_seconds',
    env: 'OCR_TIMEOUT_SECONDS',
    persisted: true,
    description: 'Longest time one file may take before its worker is killed and the job fails with kind timeout.',
    default: () => 300,
    ...intIn(5, 86_400),
  },
  {
    key: 'enable_background_ocr',
    env: 'ENABLE_BACKGROUND_OCR',
    persisted: true,
    description: 'Process files from watched folders automatically while a Quire host runs.',
    default: () => true,
    ...bool,
  },
  {
    key: 'queue_batch_size',
    env: 'QUEUE_BATCH_SIZE',
    persisted: false,
    description: 'Files enqueued per database transaction during ingest.',
    default: () => 1000,
    ...intIn(1, 100_000),
  },
  {
    key: 'max_concurrent_io',
    env: 'MAX_CONCURRENT_IO',
    persisted: false,
    description: 'File-system operations in flight at once during ingest.',
    default: () => 50,
    ...intIn(1, 1024),
  },
  {
    key: 'lease_timeout_seconds',
    env: 'QUIRE_LEASE_SECONDS',
    persisted: false,
    description: 'A processing job whose worker has not renewed its lease for this long goes back to the queue.',
    default: () => 60,
    ...intIn(5, 86_400),
  },
  {
    key: 'ocr_languages',
    env: 'OCR_LANGUAGES',
    persisted: true,
    description: 'Languages OCR reads, as tesseract codes joined by + (more languages are slower).',
    default: () => 'eng',
    ...languages,
    // A getter: the list is read when a message needs it, not when this module loads.
    get accepts() {
      return `installed language codes joined by + (installed: ${installedLanguages().join(', ') || 'none'}), e.g. eng or eng+fra`;
    },
  },
  {
    key: 'keep_existing_text',
    env: 'OCR_KEEP_EXISTING_TEXT',
    persisted: true,
    description: 'In PDFs that already carry an invisible OCR text layer, keep that text instead of OCRing the page again.',
    default: () => false,
    ...bool,
  },
  {
    // tesseract.js does not hand memory back, so a long-lived worker is replaced now and then.
    // Measured (bench:ocr, bench/rss-probe.ts): a worker sits at 315-376 MB on images, the first
    // PDF adds ~300 MB, and an 81 MP page ~550 MB more that is never returned; growth after that
    // is ~13% over 135 pages. 250 files / 1,200 MB replaces a worker before it drifts far, at
    // ~0.5 s of start-up per 250 files.
    key: 'worker_recycle_jobs',
    env: 'QUIRE_WORKER_RECYCLE_JOBS',
    persisted: false,
    description: 'An OCR worker process is replaced by a fresh one after this many files.',
    default: () => 250,
    ...intIn(1, 1_000_000),
  },
  {
    key: 'worker_max_rss_mb',
    env: 'QUIRE_WORKER_MAX_RSS_MB',
    persisted: false,
    description: 'An OCR worker process whose memory (RSS) passes this many MB after a file is replaced.',
    default: () => 1200,
    ...intIn(64, 1_048_576),
  },
  {
    key: 'path_mappings',
    env: 'QUIRE_PATH_MAPPINGS',
    persisted: true,
    description:
      "Where this machine finds files another machine ingested (a share mounted elsewhere): from=>to prefix pairs; applied by the host that reads the file. Persisted settings are shared by every host of a PostgreSQL queue, so a machine that mounts differently sets QUIRE_PATH_MAPPINGS.",
    accepts: PATH_MAPPINGS_ACCEPTS,
    default: () => '',
    parse: (raw: string) => raw.trim(),
    check: (v: unknown): v is string => typeof v === 'string' && typeof parsePathMappings(v) !== 'string',
  },
];

const BY_KEY = new Map(DEFINITIONS.map((d) => [d.key, d]));

export type Config = {
  [K in SettingKey]: K extends 'enable_background_ocr' | 'keep_existing_text' ? boolean : K extends 'ocr_languages' | 'path_mappings' ? string : number;
};
export type Source = 'default' | 'setting' | 'env';

export interface ResolvedSetting {
  key: SettingKey;
  value: Value;
  source: Source;
  persisted: boolean;
  env: string;
  description: string;
  accepts: string;
}

export function definition(key: string): Definition {
  const d = BY_KEY.get(key as SettingKey);
  if (!d) {
    throw new QuireError(
      'unknown_setting',
      `There is no setting called "${key}". Settings: ${DEFINITIONS.map((x) => x.key).join(', ')}.`,
    );
  }
  return d;
}

/** Parse and validate a value typed by a person (CLI, env). */
export function parseSettingValue(key: string, raw: string, origin?: string): Value {
  const d = definition(key);
  const v = d.parse(raw);
  if (v === undefined || !d.check(v)) {
    throw new QuireError(
      'invalid_setting',
      `Invalid value "${raw}" for ${origin ?? d.key}: it accepts ${d.accepts}.`,
    );
  }
  return v;
}

/** Validate a value that arrives typed (the app's settings screen, the HTTP API, the database). */
export function validateSettingValue(key: string, value: unknown, origin?: string): Value {
  const d = definition(key);
  if (!d.check(value)) {
    throw new QuireError(
      'invalid_setting',
      `Invalid value ${JSON.stringify(value)} for ${origin ?? d.key}: it accepts ${d.accepts}.`,
    );
  }
  return value;
}

export function resolveConfig(
  persisted: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
): { config: Config; settings: ResolvedSetting[] } {
  const settings: ResolvedSetting[] = [];
  const config = {} as Record<SettingKey, Value>;
  for (const d of DEFINITIONS) {
    let value = d.default();
    let source: Source = 'default';
    if (d.persisted && persisted[d.key] !== undefined) {
      value = validateSettingValue(d.key, persisted[d.key], `the saved setting ${d.key}`);
      source = 'setting';
    }
    const raw = env[d.env];
    if (raw !== undefined && raw !== '') {
      value = parseSettingValue(d.key, raw, `the environment variable ${d.env}`);
      source = 'env';
    }
    if (d.normalise) value = d.normalise(value);
    config[d.key] = value;
    settings.push({
      key: d.key,
      value,
      source,
      persisted: d.persisted,
      env: d.env,
      description: d.description,
      accepts: d.accepts,
    });
  }
  return { config: config as Config, settings };
}
