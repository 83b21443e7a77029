#!/usr/bin/env node
// The `quire` command: runs the built CLI (out/main/cli.js), which npm install builds. A checkout
// whose build is missing (out/ deleted) is built once, here, before the command runs.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('quire: building the app once (npm run build)...\n');
  const electronVite = createRequire(import.meta.url).resolve('electron-vite/bin/electron-vite.js');
  execFileSync(process.execPath, [electronVite, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
await import(pathToFileURL(cli).href);
