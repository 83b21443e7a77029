// tesseract.js's own Node worker script with one change: the WASM core is the one named in
// QUIRE_TESS_CORE (e.g. "lstm", "simd-lstm", "relaxedsimd-lstm") instead of the one picked by
// feature detection. For bench/levers.ts only (the "core" lever).
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const worker = require('tesseract.js/src/worker-script');
const gunzip = require('tesseract.js/src/worker-script/node/gunzip');
const cache = require('tesseract.js/src/worker-script/node/cache');

let core = null;
// The first argument is tesseract.js's lstmOnly flag: the orientation (legacy) worker needs the
// build with the legacy engine, the same build without "-lstm".
const getCore = async (lstmOnly, _corePath, res) => {
  if (!core) {
    res.progress({ status: 'loading tesseract core', progress: 0 });
    const name = process.env.QUIRE_TESS_CORE;
    core = require(`tesseract.js-core/tesseract-core-${lstmOnly ? name : name.replace(/-lstm$/, '')}`);
    res.progress({ status: 'loading tesseract core', progress: 1 });
  }
  return core;
};
parentPort.on('message', (packet) => worker.dispatchHandlers(packet, (obj) => parentPort.postMessage(obj)));
worker.setAdapter({ getCore, gunzip, fetch: global.fetch, ...cache });
