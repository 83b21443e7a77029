#!/usr/bin/env node
// The `quire` command. It runs the TypeScript sources through tsx, so a checkout works right
// after `npm install` with no build step; the Electron app bundles the same code instead.
import { register } from 'tsx/esm/api';

register();
const { main, exitQuietlyWhenOutputCloses } = await import('../src/cli/main.ts');
exitQuietlyWhenOutputCloses(process.stdout);
exitQuietlyWhenOutputCloses(process.stderr);
process.exitCode = await main(process.argv.slice(2));
