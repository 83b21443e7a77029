/**
 * The worker entry for process-level tests: the real worker process (watchdog, channel, loop) with
 * the real engines plus the scripted test engine ('scripted'). Forked like the built worker (through
 * tsx, being TypeScript); the built app's worker entry (src/worker/main.ts) knows only the real engines.
 */
import { loadEngineFactory } from '../../src/worker/engines';
import { startWorkerProcess } from '../../src/worker/process';
import { createScriptedEngine, realProcessHooks } from './scripted-engine';

startWorkerProcess(async (name) => (name === 'scripted' ? createScriptedEngine(realProcessHooks) : loadEngineFactory(name)));
