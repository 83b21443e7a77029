// Electron security check for CI: @doyensec/electronegativity over the built app (out/), failing on
// any HIGH-severity finding and printing the rest. It runs offline: the tool's lookup of Electron
// releases fails here and it carries on with the other checks (the Electron version is given).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const bin = join(root, 'node_modules', '.bin', 'electronegativity');

execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
  cwd: root,
  stdio: 'ignore',
  env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
});
const dir = mkdtempSync(join(tmpdir(), 'quire-eneg-'));
const csv = join(dir, 'findings.csv');
try {
  execFileSync(bin, ['-i', join(root, 'out'), '-e', electronVersion, '-r', '-v', 'false', '-o', csv], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
  const findings = rows.map((line) => {
    const [check, severity, confidence, file, location] = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
    return { check, severity, confidence, file, location };
  });
  for (const f of findings) console.log(`${f.severity.padEnd(8)} ${f.confidence.padEnd(10)} ${f.check}  ${f.file}:${f.location}`);
  const high = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL');
  console.log(`electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${high.length} high-severity`);
  if (high.length) process.exit(1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
