/* eslint-disable @typescript-eslint/no-require-imports -- a --require preload is CommonJS by definition */
// Preloaded with `node --require` into a child process (and, through inherited execArgv, into
// every worker thread it starts, which is where tesseract.js runs): every way Node code opens a
// connection or resolves a name throws and is reported on stderr. The test then checks that OCR
// still works and that nothing was attempted.
'use strict';
const { isMainThread } = require('node:worker_threads');
const where = isMainThread ? 'main thread' : 'worker thread';
process.stderr.write(`BLOCKER ACTIVE in ${where}\n`);

function blocked(what, original) {
  return function (...args) {
    // Local IPC (a Unix socket or Windows pipe path, as tsx's loader uses) is not the network.
    // (net normalises its arguments to [[options, callback]] before calling Socket.connect.)
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const path = typeof first === 'string' ? first : first && typeof first === 'object' ? first.path : undefined;
    if (original && typeof path === 'string' && first.port === undefined) return original.apply(this, args);
    process.stderr.write(`NETWORK ATTEMPT: ${what} ${JSON.stringify(args.filter((a) => typeof a !== 'function')).slice(0, 200)} (${where})\n`);
    throw new Error(`network blocked by test: ${what}`);
  };
}
const net = require('node:net');
net.Socket.prototype.connect = blocked('net.Socket.connect', net.Socket.prototype.connect);
net.connect = net.createConnection = blocked('net.connect', net.connect);
const tls = require('node:tls');
tls.connect = blocked('tls.connect');
const dns = require('node:dns');
for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  dns[fn] = blocked(`dns.${fn}`);
  dns.promises[fn] = blocked(`dns.promises.${fn}`);
}
for (const mod of ['node:http', 'node:https']) {
  const m = require(mod);
  m.request = blocked(`${mod}.request`);
  m.get = blocked(`${mod}.get`);
}
globalThis.fetch = blocked('fetch');
