import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import { parseSettingValue, resolveConfig, validateSettingValue } from '../config/config';
import { readEnvironment } from './environment';
import { listInstalledLanguages, missingLanguages, modelLangPath } from './languages';

describe('installed OCR languages', () => {
  it('lists the traineddata files of a folder, without osd', () => {
    const dir = tempDir();
    for (const f of ['eng.traineddata.gz', 'fra.traineddata', 'osd.traineddata.gz', 'notes.txt']) writeFileSync(join(dir, f), '');
    expect(listInstalledLanguages(dir)).toEqual(['eng', 'fra']);
    expect(missingLanguages('eng+deu', ['eng', 'fra'])).toEqual(['deu']);
  });

  it('ships English in resources/tessdata (copied by the postinstall script)', () => {
    expect(listInstalledLanguages(readEnvironment().tessdataDir)).toContain('eng');
  });
});

describe('English model choice (ocr_model)', () => {
  it('defaults to best, reads QUIRE_OCR_MODEL, refuses anything else', () => {
    expect(resolveConfig({}, {}).config.ocr_model).toBe('best');
    expect(resolveConfig({}, { QUIRE_OCR_MODEL: 'fast' }).config.ocr_model).toBe('fast');
    expect(parseSettingValue('ocr_model', 'fast')).toBe('fast');
    expect(() => parseSettingValue('ocr_model', 'tiny')).toThrow(/best, fast/);
  });

  it('ships the fast English model beside the best one, and uses it only where it has every language', () => {
    const { tessdataDir: base, tessdataFastDir } = readEnvironment({});
    expect(modelLangPath('best', base, 'eng', tessdataFastDir)).toBe(base);
    const fast = modelLangPath('fast', base, 'eng', tessdataFastDir);
    expect(fast).toBe(tessdataFastDir);
    expect(listInstalledLanguages(fast)).toEqual(['eng']);
    // Another language is not in the fast folder: the whole set comes from the best one.
    expect(modelLangPath('fast', base, 'eng+deu', tessdataFastDir)).toBe(base);
    const dir = tempDir();
    mkdirSync(join(dir, 'tessdata'));
    expect(modelLangPath('fast', join(dir, 'tessdata'), 'eng')).toBe(join(dir, 'tessdata'));
  });
});

describe('OCR settings', () => {
  it('defaults to English and keeps no existing text layers', () => {
    const { config } = resolveConfig({}, {});
    expect(config.ocr_languages).toBe('eng');
    expect(config.keep_existing_text).toBe(false);
  });

  it('accepts installed languages and refuses others with the installed list', () => {
    expect(parseSettingValue('ocr_languages', ' eng ')).toBe('eng');
    expect(() => parseSettingValue('ocr_languages', 'eng+xyz')).toThrow(/installed: .*eng/);
    expect(() => validateSettingValue('ocr_languages', 3)).toThrow(/ocr_languages/);
  });

  it('reads both from saved settings and the environment', () => {
    const { config } = resolveConfig({ keep_existing_text: true }, { OCR_LANGUAGES: 'eng' });
    expect(config.keep_existing_text).toBe(true);
    expect(config.ocr_languages).toBe('eng');
  });
});
