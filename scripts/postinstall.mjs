// Runs on `npm install` / `npm ci`: copies the tesseract language data shipped as npm packages
// (@tesseract.js-data/<lang>) into resources/tessdata/, the one folder every OCR worker loads
// languages from (tesseract.js needs all languages of a worker in one langPath folder, and must
// never fall back to its CDN). resources/tessdata is gitignored: this script is its only source.
//
// Which variant: LSTM languages use 4.0.0_best_int (3 MB for eng, integer LSTM, the same data the
// tesseract CLI ships); osd is a legacy-engine model, taken from 4.0.0.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataPkgs = join(root, 'node_modules', '@tesseract.js-data');
const target = join(root, 'resources', 'tessdata');

if (!existsSync(dataPkgs)) {
  console.log('postinstall: no @tesseract.js-data packages installed; resources/tessdata left as is');
  process.exit(0);
}
mkdirSync(target, { recursive: true });
const copied = [];
for (const lang of readdirSync(dataPkgs)) {
  const variants = lang === 'osd' ? ['4.0.0', '4.0.0_best_int'] : ['4.0.0_best_int', '4.0.0'];
  const file = `${lang}.traineddata.gz`;
  const from = variants.map((v) => join(dataPkgs, lang, v, file)).find((p) => existsSync(p));
  if (!from) {
    console.warn(`postinstall: @tesseract.js-data/${lang} has no ${file}; skipped`);
    continue;
  }
  copyFileSync(from, join(target, file));
  copied.push(lang);
}
console.log(`postinstall: language data in resources/tessdata: ${copied.join(', ') || 'none'}`);

// `quire serve` serves the built UI (out/renderer): build it now, so a checkout works right after
// `npm install`. Skipped where the build tools (devDependencies) are not installed.
import { execFileSync } from 'node:child_process';

const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
if (existsSync(electronVite)) {
  try {
    execFileSync(process.execPath, [electronVite, 'build'], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    console.log('postinstall: built the app and UI into out/ (npm run build)');
  } catch (err) {
    console.warn(`postinstall: npm run build failed (${err.message}); run it by hand before quire serve`);
  }
}
