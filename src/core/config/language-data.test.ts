import { readFileSync, statSync, utimesSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from '../../../test/helpers';
import { cer } from '../../../test/ocr-helpers';
import { parseLanguages } from '../../shared/languages';
import { addLanguage, addedLanguagesDir, languagePath, listLanguages } from './language-data';
import { readEnvironment } from './environment';
import { readInput } from '../ocr/fs-errors';
import { createTesseractEngine } from '../ocr/tesseract';

const SHIPPED = ['deu', 'eng', 'fra', 'ita', 'nld', 'por', 'spa'];

describe('OCR languages: shipped and added', () => {
  it('ships English, German, French, Spanish, Italian, Portuguese and Dutch (npm install copies them)', () => {
    const langs = listLanguages({ shipped: readEnvironment().tessdataDir });
    expect(langs.map((l) => l.code)).toEqual(expect.arrayContaining(SHIPPED));
    expect(langs.find((l) => l.code === 'deu')).toMatchObject({ name: 'German', source: 'shipped' });
    expect(langs.map((l) => l.code)).not.toContain('osd');
    // Pinned exact versions in package.json, one package per language.
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const l of SHIPPED) expect(pkg.dependencies[`@tesseract.js-data/${l}`]).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('checks a choice: trims, keeps order, drops duplicates, names what is missing and how to add it', () => {
    const have = ['deu', 'eng', 'fra'];
    expect(parseLanguages(' deu + eng ', have)).toBe('deu+eng');
    expect(parseLanguages('eng+deu+eng', have)).toBe('eng+deu');
    expect(() => parseLanguages('eng+jpn', have)).toThrow(/not installed: jpn \(available: deu, eng, fra\).*languages folder/);
    expect(() => parseLanguages('eng;rm -rf', have)).toThrow(/Not a language code/);
    expect(() => parseLanguages(' + ', have)).toThrow(/No OCR language/);
  });

  it('merges languages added to the data folder with the shipped ones into one folder, kept in step', () => {
    const shipped = tempDir();
    for (const f of ['eng.traineddata.gz', 'osd.traineddata.gz', 'deu.traineddata.gz']) writeFileSync(join(shipped, f), f);
    const dataDir = tempDir();
    const added = addedLanguagesDir(dataDir);
    // Nothing added: the shipped folder itself, no copies.
    expect(languagePath({ shipped, added })).toBe(shipped);
    mkdirSync(added);
    writeFileSync(join(added, 'jpn.traineddata.gz'), 'jpn v1');
    writeFileSync(join(added, 'deu.traineddata'), 'my own deu'); // overrides the shipped deu
    const merged = languagePath({ shipped, added });
    expect(merged).toBe(join(added, '.merged'));
    expect(readdirSync(merged).sort()).toEqual(['deu.traineddata', 'eng.traineddata.gz', 'jpn.traineddata.gz', 'osd.traineddata.gz']);
    expect(readFileSync(join(merged, 'deu.traineddata'), 'utf8')).toBe('my own deu');
    expect(listLanguages({ shipped, added }).map((l) => `${l.code}:${l.source}`)).toEqual(['deu:added', 'eng:shipped', 'jpn:added']);
    // A replaced file is picked up; a removed one disappears from the merged folder.
    writeFileSync(join(added, 'jpn.traineddata.gz'), 'jpn v2, longer');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(added, 'jpn.traineddata.gz'), later, later);
    languagePath({ shipped, added });
    expect(readFileSync(join(merged, 'jpn.traineddata.gz'), 'utf8')).toBe('jpn v2, longer');
    expect(statSync(join(merged, 'jpn.traineddata.gz')).size).toBe(14);
  });
});

describe('adding a language without touching the installation', () => {
  it('copies a traineddata file, or the best_int model of an @tesseract.js-data package folder, into <data dir>/languages', () => {
    const dataDir = tempDir();
    // A package folder as npm unpacks it: package.json, 4.0.0/ and 4.0.0_best_int/.
    const pkg = tempDir();
    mkdirSync(join(pkg, '4.0.0'));
    mkdirSync(join(pkg, '4.0.0_best_int'));
    writeFileSync(join(pkg, '4.0.0', 'jpn.traineddata.gz'), 'legacy+lstm');
    writeFileSync(join(pkg, '4.0.0_best_int', 'jpn.traineddata.gz'), 'best_int');
    expect(addLanguage(pkg, dataDir)).toBe('jpn');
    expect(readFileSync(join(addedLanguagesDir(dataDir), 'jpn.traineddata.gz'), 'utf8')).toBe('best_int');
    const file = join(tempDir(), 'lat.traineddata');
    writeFileSync(file, 'latin');
    expect(addLanguage(file, dataDir)).toBe('lat');
    expect(listLanguages({ shipped: readEnvironment().tessdataDir, added: addedLanguagesDir(dataDir) }).filter((l) => l.source === 'added').map((l) => l.code)).toEqual(['jpn', 'lat']);
    expect(() => addLanguage(join(tempDir(), 'notes.txt'), dataDir)).toThrow(/does not exist/);
    const wrong = join(tempDir(), 'notes.txt');
    writeFileSync(wrong, '');
    expect(() => addLanguage(wrong, dataDir)).toThrow(/not named/);
  });
});

describe('OCR languages per job', () => {
  it('reads a job in its own languages and says which; a job asking for a missing one fails with the reason', async () => {
    const engine = await createTesseractEngine({ languages: 'eng', langPath: readEnvironment().tessdataDir, keepExistingText: false });
    try {
      const path = join(REPO_ROOT, 'test', 'fixtures', 'ocr', 'tesstest-phototest.tif');
      const gt = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'ocr', 'tesstest-phototest.gt.txt'), 'utf8');
      const de = await engine.recognize({ path, kind: '', bytes: await readInput(path), languages: 'deu+eng' });
      expect(de.languages).toBe('deu+eng');
      expect(cer(de.text, gt).cer).toBeLessThan(0.05);
      const en = await engine.recognize({ path, kind: '', bytes: await readInput(path) });
      expect(en.languages).toBe('eng');
      await expect(engine.recognize({ path, kind: '', bytes: await readInput(path), languages: 'eng+xyz' })).rejects.toMatchObject({
        kind: 'engine_error',
        message: expect.stringMatching(/not installed: xyz/),
      });
    } finally {
      await engine.close();
    }
  });
});
