/**
 * Settings in words: a label and the group it belongs to. When a running Quire applies a change
 * (at once, from the next file, or after a restart) is the core's to say (SettingView.applies).
 */
export interface SettingWords {
  label: string;
  group: 'Reading files' | 'Battery, use and schedule' | 'Watched folders' | 'Files on shared drives' | 'Advanced';
  unit?: string;
}

export const WORDS: Record<string, SettingWords> = {
  ocr_languages: { label: 'Languages of your documents', group: 'Reading files' },
  ocr_model: { label: 'English recognition model (best or fast)', group: 'Reading files' },
  battery_mode: { label: 'On battery', group: 'Battery, use and schedule' },
  battery_pause_percent: { label: 'Pause on battery below', group: 'Battery, use and schedule', unit: '%' },
  idle_minutes: { label: 'Count the computer as in use for', group: 'Battery, use and schedule', unit: 'minutes after input' },
  active_max_workers: { label: 'Files read at once while the computer is in use', group: 'Battery, use and schedule' },
  only_when_idle: { label: 'Read only while the computer is not in use', group: 'Battery, use and schedule' },
  ocr_schedule: { label: 'Hours for reading (e.g. 22:00-07:00)', group: 'Battery, use and schedule' },
  outside_schedule: { label: 'Outside those hours', group: 'Battery, use and schedule' },
  concurrent_ocr_jobs: { label: 'Files read at once (OCR workers)', group: 'Reading files' },
  ocr_timeout_seconds: { label: 'Time limit for one page', group: 'Reading files', unit: 'seconds' },
  keep_existing_text: { label: 'Keep the text already inside PDFs', group: 'Reading files' },
  enable_background_ocr: { label: 'Read new files in watched folders automatically', group: 'Watched folders' },
  path_mappings: { label: 'Where this computer finds shared folders', group: 'Files on shared drives' },
  queue_batch_size: { label: 'Files added per database transaction', group: 'Advanced', unit: 'files' },
  max_concurrent_io: { label: 'File operations at once while adding files', group: 'Advanced' },
  lease_timeout_seconds: { label: 'Hand back a silent worker’s file after', group: 'Advanced', unit: 'seconds' },
  worker_recycle_jobs: { label: 'Replace a worker after this many files', group: 'Advanced', unit: 'files' },
  worker_max_rss_mb: { label: 'Replace a worker whose memory passes', group: 'Advanced', unit: 'MB' },
};

/** A setting this screen has no words for (added on another branch): its key, in words. */
export function wordsFor(key: string): SettingWords {
  return WORDS[key] ?? { label: key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()), group: 'Advanced' };
}

export const GROUPS: SettingWords['group'][] = ['Reading files', 'Battery, use and schedule', 'Watched folders', 'Files on shared drives', 'Advanced'];

/** A refusal from the core names the key; say the label instead. */
export function refusalInWords(key: string, message: string): string {
  return message.replace(`for ${key}`, `for “${wordsFor(key).label}”`).replace(/^Invalid value "" .*: it accepts /, 'Enter a value: it accepts ');
}
