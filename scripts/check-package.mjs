// npm run check:package: builds the unpacked Linux app tree with electron-builder (a stub
// Electron dist, no native rebuild: neither can be downloaded here, see STACK.md) and checks
// that native modules and OCR data sit outside app.asar, where they must be at run time.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asar from '@electron/asar';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });

const stub = mkdtempSync(join(tmpdir(), 'quire-stub-electron-'));
writeFileSync(join(stub, 'electron'), '#!/bin/sh\necho "stub Electron: packaging check only"\n');
chmodSync(join(stub, 'electron'), 0o755);
const out = join(root, 'release');
rmSync(join(out, 'linux-unpacked'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });

run(bin('electron-vite'), ['build']);
run(bin('electron-builder'), ['--linux', 'dir', '--config', 'electron-builder.yml', `-c.electronDist=${stub}`, '-c.npmRebuild=false']);
rmSync(stub, { recursive: true, force: true });

const resources = join(out, 'linux-unpacked', 'resources');
const unpacked = join(resources, 'app.asar.unpacked');
const problems = [];
const must = (ok, what) => {
  if (!ok) problems.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};
const anyFile = (dir, re) => existsSync(dir) && readdirSync(dir, { recursive: true }).some((f) => re.test(String(f)));

must(existsSync(join(resources, 'app.asar')), 'app.asar exists');
const inAsar = new Set(asar.listPackage(join(resources, 'app.asar')).map((p) => p.replace(/\\/g, '/')));
for (const f of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/migrations/sqlite/0001_initial.sql',
  '/migrations/postgres/0001_initial.sql', '/migrations/postgres/0002_watched_folders.sql']) {
  must(inAsar.has(f), `app.asar holds ${f}`);
}
// PostgreSQL (--database-url / DATABASE_URL): pure JavaScript, so inside app.asar with its own dependencies.
for (const f of ['/node_modules/pg/package.json', '/node_modules/pg-pool/package.json', '/node_modules/pg-protocol/package.json']) {
  must(inAsar.has(f), `app.asar holds ${f}`);
}
const nm = join(unpacked, 'node_modules');
must(existsSync(join(nm, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')), 'better-sqlite3 native binding unpacked');
must(existsSync(join(nm, 'bindings', 'bindings.js')), 'bindings (loads better-sqlite3) unpacked');
must(existsSync(join(nm, 'sharp', 'lib', 'index.js')), 'sharp unpacked');
must(anyFile(join(nm, '@img'), /sharp-[a-z0-9-]+\.node$/), 'sharp native binding (@img/sharp-*) unpacked');
must(existsSync(join(nm, 'tesseract.js', 'package.json')), 'tesseract.js unpacked');
must(anyFile(join(nm, 'tesseract.js-core'), /\.wasm$/), 'tesseract.js-core wasm unpacked');
must(anyFile(join(nm, '@tesseract.js-data', 'eng'), /eng\.traineddata\.gz$/), 'English language data unpacked');
if (existsSync(join(root, 'resources', 'tessdata'))) {
  must(anyFile(join(unpacked, 'resources', 'tessdata'), /\.traineddata(\.gz)?$/), 'resources/tessdata unpacked');
  // The languages the app ships (package.json's @tesseract.js-data packages, copied by postinstall).
  for (const lang of ['eng', 'deu', 'fra', 'spa', 'ita', 'por', 'nld', 'osd']) {
    must(existsSync(join(unpacked, 'resources', 'tessdata', `${lang}.traineddata.gz`)), `resources/tessdata/${lang}.traineddata.gz unpacked`);
  }
}
if (problems.length) {
  console.error(`\n${problems.length} packaging check(s) failed.`);
  process.exit(1);
}
console.log('\nPackaging layout is as expected.');
