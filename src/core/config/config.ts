/**
 * The one config module. Each value resolves as: default, then the persisted setting (for keys
 * users set in the app or with `quire config set`), then the environment variable, which wins so
 * that a one-off run can override what the app saved. Every value is validated, and an invalid one
 * is refused with a message that names it and says what it accepts.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { QuireError } from '../../shared/errors';
import { type Applies, concurrencyCapNote, whenApplied } from './applies';
import { readEnvironment, resolveDataDir } from './environment';
import { addedLanguagesDir, listLanguages } from './language-data';
import { missingLanguages, OCR_MODELS } from './languages';
import { parsePathMappings, PATH_MAPPINGS_ACCEPTS } from './path-mappings';
import { BATTERY_MODES, OUTSIDE_SCHEDULE_MODES, parseSchedule, SCHEDULE_ACCEPTS } from './schedule';

export type SettingKey =
  | 'concurrent_ocr_jobs'
  | 'ocr_timeout_seconds'
  | 'enable_background_ocr'
  | 'queue_batch_size'
  | 'max_concurrent_io'
  | 'lease_timeout_seconds'
  | 'ocr_languages'
  | 'ocr_model'
  | 'keep_existing_text'
  | 'worker_recycle_jobs'
  | 'worker_max_rss_mb'
  | 'path_mappings'
  | 'battery_mode'
  | 'battery_pause_percent'
  | 'idle_minutes'
  | 'active_max_workers'
  | 'ocr_schedule'
  | 'outside_schedule'
  | 'only_when_idle'
  | 'sysfs_root';

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
  /** Said when normalise changed the value asked for. */
  capped?: (asked: Value, value: Value) => string;
  /** What exactly is wrong with a refused value, when the setting can say more than `accepts`. */
  explain?: (v: unknown) => string | undefined;
}

function intIn(min: number, max: number) {
  return {
    parse: (raw: string) => (/^\s*-?\d+\s*$/.test(raw) ? Number(raw) : undefined),
    check: (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
    accepts: `a whole number from ${min} to ${max}`,
  };
}

function oneOf(values: readonly string[]) {
  return {
    parse: (raw: string) => raw.trim().toLowerCase(),
    check: (v: unknown): v is string => typeof v === 'string' && values.includes(v),
    accepts: values.join(', '),
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
    const environment = readEnvironment();
    return listLanguages({ shipped: environment.tessdataDir, added: addedLanguagesDir(resolveDataDir(undefined, environment)) }).map((l) => l.code);
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
export { concurrencyCapNote } from './applies';

export const DEFINITIONS: readonly Definition[] = [
  {
    key: 'concurrent_ocr_jobs',
    env: 'OCR_CONCURRENT_JOBS',
    persisted: true,
    description: 'OCR worker processes run at once (capped at the number of CPU cores).',
    default: () => 4,
    ...intIn(1, 64),
    normalise: (v) => Math.min(v as number, CORES),
    capped: (asked) => concurrencyCapNote(asked as number),
  },
  {
    key: 'ocr_timeout_seconds',
    env: 'OCR_TIMEOUT_SECONDS',
    persisted: true,
    description: 'Longest time one page of a file may take (the opening of a file counts as a page) before its worker is killed and the job fails with kind timeout. A long document never times out for its length.',
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
    key: 'ocr_model',
    env: 'QUIRE_OCR_MODEL',
    persisted: true,
    description:
      'The English recognition model: best (tesseract best_int, the most accurate) or fast (tessdata_fast: about a quarter less CPU, a little less accurate). Other languages always use best.',
    default: () => 'best',
    ...oneOf(OCR_MODELS),
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
    persisted: true,
    description: 'An OCR worker process is replaced by a fresh one after this many files.',
    default: () => 250,
    ...intIn(1, 1_000_000),
  },
  {
    key: 'worker_max_rss_mb',
    env: 'QUIRE_WORKER_MAX_RSS_MB',
    persisted: true,
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
  // Background OCR that respects the machine (src/core/power): on battery, in use, on a schedule.
  {
    key: 'battery_mode',
    env: 'QUIRE_BATTERY_MODE',
    persisted: true,
    description: 'What OCR does while the machine runs on battery: pause, one-worker, or full (speed). Back to full speed on AC.',
    default: () => 'one-worker',
    ...oneOf(BATTERY_MODES),
  },
  {
    key: 'battery_pause_percent',
    env: 'QUIRE_BATTERY_PAUSE_PERCENT',
    persisted: true,
    description: 'On battery below this charge (percent) OCR pauses, whatever battery_mode says; 0 never pauses for the level.',
    default: () => 20,
    ...intIn(0, 100),
  },
  {
    key: 'idle_minutes',
    env: 'QUIRE_IDLE_MINUTES',
    persisted: true,
    description: 'Keyboard or mouse input within this many minutes means the machine is in use (OCR then runs at most active_max_workers).',
    default: () => 2,
    ...intIn(1, 1440),
  },
  {
    key: 'active_max_workers',
    env: 'QUIRE_ACTIVE_MAX_WORKERS',
    persisted: true,
    description: 'OCR workers while the machine is in use, and outside the schedule unless outside_schedule is pause (default: half the cores, at least 1).',
    default: () => Math.max(1, Math.floor(CORES / 2)),
    ...intIn(1, 64),
  },
  {
    key: 'ocr_schedule',
    env: 'QUIRE_OCR_SCHEDULE',
    persisted: true,
    description: 'When OCR may run at full speed, in local time; a range that ends before it starts runs past midnight.',
    accepts: SCHEDULE_ACCEPTS,
    default: () => 'always',
    parse: (raw: string) => raw.trim(),
    check: (v: unknown): v is string => typeof v === 'string' && typeof parseSchedule(v) !== 'string',
    explain: (v) => (typeof v === 'string' ? (parseSchedule(v) as string) : undefined),
  },
  {
    key: 'outside_schedule',
    env: 'QUIRE_OUTSIDE_SCHEDULE',
    persisted: true,
    description: 'What OCR does outside the schedule: limited (at most active_max_workers) or pause.',
    default: () => 'limited',
    ...oneOf(OUTSIDE_SCHEDULE_MODES),
  },
  {
    key: 'only_when_idle',
    env: 'QUIRE_ONLY_WHEN_IDLE',
    persisted: true,
    description: 'Run OCR only while nobody uses the machine (no keyboard or mouse input for idle_minutes, or the screen locked).',
    default: () => false,
    ...bool,
  },
  {
    key: 'sysfs_root',
    env: 'QUIRE_SYSFS_ROOT',
    persisted: false,
    description: 'Where Linux hosts read battery and AC state (<root>/class/power_supply); tests point it at a fake tree.',
    accepts: 'an absolute path',
    default: () => '/sys',
    parse: (raw: string) => raw.trim(),
    check: (v: unknown): v is string => typeof v === 'string' && isAbsolute(v),
  },
];

const BY_KEY = new Map(DEFINITIONS.map((d) => [d.key, d]));

type BooleanKey = 'enable_background_ocr' | 'keep_existing_text' | 'only_when_idle';
type TextKey = 'ocr_languages' | 'ocr_model' | 'path_mappings' | 'battery_mode' | 'ocr_schedule' | 'outside_schedule' | 'sysfs_root';
export type Config = {
  [K in SettingKey]: K extends BooleanKey ? boolean : K extends TextKey ? string : number;
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
  /** When a running Quire applies a change, and that in one sentence (the CLI and the Settings screen say it). */
  applies: Applies;
  appliesNote: string;
  /** The value asked for was capped (more workers than cores): the sentence that says so. */
  capped?: string;
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
    const why = v === undefined ? undefined : d.explain?.(v);
    throw new QuireError(
      'invalid_setting',
      `Invalid value "${raw}" for ${origin ?? d.key}: ${why ? `${why}; ` : ''}it accepts ${d.accepts}.`,
    );
  }
  return v;
}

/** Validate a value that arrives typed (the app's settings screen, the HTTP API, the database). */
export function validateSettingValue(key: string, value: unknown, origin?: string): Value {
  const d = definition(key);
  if (!d.check(value)) {
    const why = d.explain?.(value);
    throw new QuireError(
      'invalid_setting',
      `Invalid value ${JSON.stringify(value)} for ${origin ?? d.key}: ${why ? `${why}; ` : ''}it accepts ${d.accepts}.`,
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
    const asked = value;
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
      ...whenApplied(d.key, d.persisted),
      ...(asked !== value && d.capped ? { capped: d.capped(asked, value) } : {}),
    });
  }
  return { config: config as Config, settings };
}
