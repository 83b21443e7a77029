/** A fork spawner for test worker entries, which are TypeScript: the children load tsx first. */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { createForkSpawner, type ForkSpawnerOptions } from '../../src/core/pool/fork-spawner';

export const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export function testForkSpawner(opts: ForkSpawnerOptions = {}) {
  return createForkSpawner({ ...opts, execArgv: ['--import', TSX_LOADER] });
}
