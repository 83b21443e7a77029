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
