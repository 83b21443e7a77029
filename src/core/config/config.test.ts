import { describe, expect, it } from 'vitest';
import { CORES, parseSettingValue, resolveConfig, validateSettingValue } from './config';

describe('config', () => {
  it('starts from the defaults, concurrency capped at the core count', () => {
    const { config, settings } = resolveConfig({}, {});
    expect(config.concurrent_ocr_jobs).toBe(Math.min(4, CORES));
    expect(config.ocr_timeout_seconds).toBe(300);
    expect(config.enable_background_ocr).toBe(true);
    expect(config.queue_batch_size).toBe(1000);
    expect(config.max_concurrent_io).toBe(50);
    expect(settings.every((s) => s.source === 'default')).toBe(true);
  });

  it('persisted settings override defaults and the environment overrides both', () => {
    const persisted = { ocr_timeout_seconds: 120, enable_background_ocr: false };
    const a = resolveConfig(persisted, {});
    expect(a.config.ocr_timeout_seconds).toBe(120);
    expect(a.config.enable_background_ocr).toBe(false);
    expect(a.settings.find((s) => s.key === 'ocr_timeout_seconds')!.source).toBe('setting');
    const b = resolveConfig(persisted, { OCR_TIMEOUT_SECONDS: '60', QUEUE_BATCH_SIZE: '250', MAX_CONCURRENT_IO: '8' });
    expect(b.config.ocr_timeout_seconds).toBe(60);
    expect(b.config.queue_batch_size).toBe(250);
    expect(b.config.max_concurrent_io).toBe(8);
    expect(b.settings.find((s) => s.key === 'ocr_timeout_seconds')!.source).toBe('env');
  });

  it('caps OCR_CONCURRENT_JOBS at the machine cores', () => {
    expect(resolveConfig({}, { OCR_CONCURRENT_JOBS: '64' }).config.concurrent_ocr_jobs).toBe(CORES);
    expect(resolveConfig({}, { OCR_CONCURRENT_JOBS: '1' }).config.concurrent_ocr_jobs).toBe(1);
  });

  it('refuses invalid values naming the setting and what it accepts', () => {
    expect(() => resolveConfig({}, { OCR_CONCURRENT_JOBS: 'lots' })).toThrow(
      /Invalid value "lots" for the environment variable OCR_CONCURRENT_JOBS: it accepts a whole number from 1 to 64/,
    );
    expect(() => resolveConfig({}, { OCR_TIMEOUT_SECONDS: '0' })).toThrow(/OCR_TIMEOUT_SECONDS: it accepts a whole number from 5/);
    expect(() => resolveConfig({}, { QUEUE_BATCH_SIZE: '1.5' })).toThrow(/QUEUE_BATCH_SIZE/);
    expect(() => resolveConfig({ concurrent_ocr_jobs: 'x' }, {})).toThrow(/saved setting concurrent_ocr_jobs/);
    expect(() => parseSettingValue('enable_background_ocr', 'maybe')).toThrow(/enable_background_ocr: it accepts on or off/);
    expect(() => validateSettingValue('ocr_timeout_seconds', -3)).toThrow(/ocr_timeout_seconds/);
    expect(() => parseSettingValue('no_such_thing', '1')).toThrow(/There is no setting called "no_such_thing"/);
  });

  it('parses the accepted spellings', () => {
    expect(parseSettingValue('enable_background_ocr', 'off')).toBe(false);
    expect(parseSettingValue('enable_background_ocr', 'YES')).toBe(true);
    expect(parseSettingValue('concurrent_ocr_jobs', ' 3 ')).toBe(3);
  });
});

describe('when a running Quire applies a setting', () => {
  it('says for each setting: at once, from the next file, or after a restart and why', () => {
    const { settings } = resolveConfig({}, {});
    const by = Object.fromEntries(settings.map((s) => [s.key, s]));
    expect(by.ocr_timeout_seconds).toMatchObject({ applies: 'now', appliesNote: 'A running Quire applies it at once (within 5 seconds).' });
    for (const key of ['ocr_languages', 'ocr_model', 'keep_existing_text', 'worker_recycle_jobs', 'worker_max_rss_mb', 'path_mappings']) {
      expect(by[key]).toMatchObject({ applies: 'next_file', persisted: true });
    }
    expect(by.ocr_languages!.appliesNote).toBe('A running Quire applies it from the next file (within 5 seconds); files being read finish as they started.');
    // What only the environment sets is read when Quire starts.
    for (const s of settings.filter((x) => !x.persisted)) {
      expect(s).toMatchObject({ applies: 'restart', appliesNote: 'Restart Quire to apply it: it is read from its environment variable when Quire starts.' });
    }
    // Every saved setting is followed by a running Quire.
    expect(settings.filter((s) => s.persisted && s.applies === 'restart')).toEqual([]);
  });

  it('says when concurrency is capped at the cores, and at what', () => {
    const asked = CORES + 3;
    const s = resolveConfig({ concurrent_ocr_jobs: asked }, {}).settings.find((x) => x.key === 'concurrent_ocr_jobs')!;
    expect(s.value).toBe(CORES);
    expect(s.capped).toBe(
      `Capped at ${CORES} OCR worker${CORES === 1 ? '' : 's'} (asked for ${asked}): this computer has ${CORES} CPU core${CORES === 1 ? '' : 's'}, and more workers would only wait for a core.`,
    );
    expect(resolveConfig({ concurrent_ocr_jobs: 1 }, {}).settings.find((x) => x.key === 'concurrent_ocr_jobs')!.capped).toBeUndefined();
  });
});
