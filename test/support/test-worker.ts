/**
 * The worker entry for process-level tests: the real worker loop with the real engines plus the
 * scripted test engine ('scripted'). Forked like the built worker (through tsx, being TypeScript);
 * the built app's worker entry (src/worker/main.ts) knows only the real engines.
 */
import { parentChannel } from '../../src/worker/channel';
import { loadEngineFactory } from '../../src/worker/engines';
import { runWorker } from '../../src/worker/run-worker';
import { createScriptedEngine, realProcessHooks } from './scripted-engine';

process.on('SIGINT', () => {});
runWorker({
  channel: parentChannel(),
  loadEngine: async (name) => (name === 'scripted' ? createScriptedEngine(realProcessHooks) : loadEngineFactory(name)),
  exit: (code) => process.exit(code),
});
