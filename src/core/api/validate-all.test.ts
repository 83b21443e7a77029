/**
 * Every handler's argument schema, through `dispatch` on a real SQLite data folder: hostile
 * arguments are refused as `invalid_argument` with a sentence, never reach the store, and never
 * surface as `internal`. The table needs an entry per handler name, so a new handler cannot skip it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers';
import type { HandlerName } from '../../ipc/contract';
import type { Quire } from '../app';
import { dispatch } from './dispatch';
import { HANDLER_NAMES } from '../../ipc/contract';
import { type Host, openHost } from '../host';

const HUGE = 'x'.repeat(1_000_000);
const NUL = 'a\0b';

/** Not an object of named arguments: refused by every handler, with or without arguments. */
const NOT_OBJECTS: unknown[] = [0, 5, -1.5, Number.NaN, '', 'text', NUL, true, false, [], ['a'], [{ id: 'x' }], new Map([['id', 'x']]), new Date(0), new Uint8Array(4)];

interface Schema {
  /** Fields it takes; [] for a handler that takes none (it accepts nothing, null or {} only). */
  fields: readonly string[];
  /** An argument that passes the checks (the call may still fail for another reason, e.g. not_found). */
  good: unknown;
  /** Arguments with wrong-typed, out-of-range or missing fields. */
  bad: unknown[];
}

const NONE: Schema = { fields: [], good: undefined, bad: [] };

const TABLE: Record<HandlerName, Schema> = {
  stats: NONE,
  workers: NONE,
  failureGroups: NONE,
  watchedFolders: NONE,
  settings: NONE,
  languages: NONE,
  exportFailuresCsv: NONE,
  failures: NONE,
  pause: NONE,
  skippedFiles: {
    fields: ['limit', 'paths'],
    good: { limit: 5, paths: ['/scans'] },
    bad: [{ limit: 0 }, { limit: '5' }, { limit: 1e9 }, { paths: '/scans' }, { paths: [] }, { paths: ['relative'] }, { paths: [NUL] }, { paths: [5] }],
  },
  accountFor: {
    fields: ['paths', 'limit'],
    good: { paths: ['/scans', '/scans/a.png'], limit: 10 },
    bad: [{}, { paths: [] }, { paths: ['relative/x'] }, { paths: '/scans' }, { paths: [NUL] }, { paths: ['/a'], limit: 0 }, { paths: ['/a'], limit: 2.5 }],
  },
  text: {
    fields: ['path'],
    good: { path: '/scans/a.png' },
    bad: [{}, { path: 5 }, { path: '' }, { path: NUL }, { path: HUGE }, { path: ['/x'] }],
  },
  exportDocuments: {
    fields: ['out', 'formats'],
    good: { out: tempDir('quire-validate-export-'), formats: ['txt', 'json'] },
    bad: [{}, { out: 'relative/dir' }, { out: 5 }, { out: NUL }, { out: '/tmp', formats: 'txt' }, { out: '/tmp', formats: ['docx'] }, { out: '/tmp', formats: [5] }],
  },
  resume: NONE,
  power: NONE,
  runFullSpeedNow: NONE,
  endFullSpeed: NONE,
  throughput: {
    fields: ['minutes'],
    good: { minutes: 5 },
    bad: [{ minutes: '60' }, { minutes: 0 }, { minutes: -5 }, { minutes: 1.5 }, { minutes: 1e9 }, { minutes: Number.NaN }, { minutes: Infinity }, { minutes: [60] }],
  },
  listJobs: {
    fields: ['status', 'kind', 'folder', 'pathSearch', 'sort', 'after', 'limit'],
    good: { status: 'failed', kind: 'corrupt_file', folder: '/scans', pathSearch: '%_', sort: 'path_asc', limit: 5 },
    bad: [
      { status: 'exploded' },
      { status: 5 },
      { status: ['failed'] },
      { kind: 'nope' },
      { kind: 7 },
      { sort: 'random' },
      { folder: 5 },
      { folder: HUGE },
      { folder: NUL },
      { pathSearch: 'x'.repeat(1001) },
      { pathSearch: ['a'] },
      { after: 5 },
      { after: NUL },
      { limit: '10' },
      { limit: 0 },
      { limit: -1 },
      { limit: 2.5 },
      { limit: 1001 },
    ],
  },
  document: {
    fields: ['id'],
    good: { id: 'missing' },
    bad: [{}, { id: 5 }, { id: '' }, { id: null }, { id: 'x'.repeat(101) }, { id: NUL }, { id: ['a'] }, { id: { id: 'a' } }],
  },
  pageImage: {
    fields: ['documentId', 'pageNo'],
    good: { documentId: 'missing', pageNo: 2 },
    bad: [
      {},
      { pageNo: 1 },
      { documentId: 5 },
      { documentId: NUL },
      { documentId: 'd', pageNo: 0 },
      { documentId: 'd', pageNo: -1 },
      { documentId: 'd', pageNo: 1.5 },
      { documentId: 'd', pageNo: '1' },
      { documentId: 'd', pageNo: 100_001 },
    ],
  },
  search: {
    fields: ['query', 'limit'],
    good: { query: 'invoice', limit: 10 },
    bad: [{}, { query: 5 }, { query: '' }, { query: 'x'.repeat(501) }, { query: NUL }, { query: ['a'] }, { query: 'x', limit: 0 }, { query: 'x', limit: '5' }, { query: 'x', limit: 10_001 }],
  },
  addPaths: {
    fields: ['paths', 'watch'],
    good: { paths: ['/definitely/not/here'], watch: false },
    bad: [
      {},
      { paths: [] },
      { paths: '/tmp' },
      { paths: [5] },
      { paths: [null] },
      { paths: [['/tmp']] },
      { paths: [''] },
      { paths: [NUL] },
      { paths: [HUGE] },
      { paths: Array.from({ length: 1001 }, () => '/tmp') },
      { paths: ['/tmp'], watch: 'yes' },
      { paths: ['/tmp'], watch: 1 },
    ],
  },
  requeueFailed: {
    fields: ['kind', 'jobId', 'force'],
    good: { kind: 'corrupt_file', jobId: 'missing', force: true },
    // An empty or null filter must not widen to "every failed job".
    bad: [{ kind: 'nope' }, { kind: 5 }, { kind: '' }, { kind: null }, { jobId: '' }, { jobId: null }, { jobId: 5 }, { jobId: 'x'.repeat(101) }, { jobId: NUL }, { force: 'yes' }],
  },
  requeue: {
    fields: ['statuses', 'kind', 'jobId', 'folder', 'force'],
    good: { statuses: ['cancelled'], kind: 'cancelled', jobId: 'missing', folder: '/scans', force: false },
    bad: [{ statuses: ['completed'] }, { statuses: 'failed' }, { statuses: [] }, { kind: 'nope' }, { kind: null }, { jobId: '' }, { folder: 'relative' }, { folder: '' }, { force: 1 }],
  },
  dismissFailures: {
    fields: ['jobId', 'kind', 'folder', 'all'],
    good: { jobId: 'missing' },
    // Nothing given must not mean "every failure".
    bad: [{}, { kind: 'nope' }, { kind: null }, { jobId: '' }, { all: 'yes' }, { all: true, kind: 'corrupt_file' }, { folder: '' }],
  },
  removeDocuments: {
    fields: ['paths'],
    good: { paths: ['/scans/a.png'] },
    bad: [{}, { paths: [] }, { paths: '/tmp' }, { paths: [''] }, { paths: ['relative.png'] }, { paths: [5] }],
  },
  cancel: {
    fields: ['jobId', 'allPending'],
    good: { jobId: 'missing' },
    bad: [
      {},
      { jobId: 5 },
      { jobId: '' },
      { jobId: NUL },
      { jobId: ['a'] },
      { allPending: 'yes' },
      { allPending: 1 },
      { allPending: false },
      { allPending: true, jobId: 'x' },
    ],
  },
  setConcurrency: {
    fields: ['value'],
    good: { value: 1 },
    bad: [{}, { value: null }, { value: '4' }, { value: 0 }, { value: 65 }, { value: -1 }, { value: 2.5 }, { value: [4] }],
  },
  addWatchedFolder: {
    fields: ['path', 'outputDir', 'poll', 'txt', 'pdf', 'ignore'],
    good: { path: '/tmp', outputDir: '/tmp/out', poll: true, txt: true, pdf: false, ignore: ['*.tmp'] },
    bad: [
      {},
      { path: 5 },
      { path: '' },
      { path: NUL },
      { path: HUGE },
      { path: '/tmp', poll: 'yes' },
      { path: '/tmp', txt: 1 },
      { path: '/tmp', pdf: 'true' },
      { path: '/tmp', outputDir: 5 },
      { path: '/tmp', outputDir: NUL },
    ],
  },
  removeWatchedFolder: {
    fields: ['path'],
    good: { path: '/tmp' },
    bad: [{}, { path: 5 }, { path: '' }, { path: NUL }, { path: HUGE }, { path: ['/tmp'] }],
  },
  updateSettings: {
    fields: ['values'],
    good: { values: {} },
    bad: [{}, { values: null }, { values: 5 }, { values: 'ocr_timeout_seconds=1' }, { values: [] }, { values: [['ocr_timeout_seconds', 1]] }, { values: new Map() }],
  },
};

/** Every object a handler must refuse for a key it does not take. */
const unknownKeys = (s: Schema): [Record<string, unknown>, string][] => [
  [{ ...(s.good as object), foo: 1 }, 'foo'],
  [{ ...(s.good as object), FOLDER: '/x' }, 'FOLDER'],
  [JSON.parse(`{"__proto__": {"limit": 1}}`) as Record<string, unknown>, '__proto__'],
  [{ constructor: 'x' }, 'constructor'],
];

const show = (v: unknown) => {
  const s = v instanceof Map ? 'Map' : JSON.stringify(v) ?? String(v);
  return s.length > 80 ? s.slice(0, 80) + '…' : s;
};

describe('every handler validates its argument', () => {
  let quire: Quire;
  let host: Host;
  let before: unknown;
  /** What a widened or wrongly accepted call would change (not the wait-time figures, which drift). */
  const state = async () => {
    const { pending, processing, failed, completed, cancelled, paused } = await quire.store.stats();
    return { pending, processing, failed, completed, cancelled, paused, settings: await quire.settings() };
  };

  beforeAll(async () => {
    host = await openHost({ dataDir: tempDir('quire-validate-'), env: {} });
    quire = host.quire;
    // Something for a widened call to change: pending jobs, and failed ones.
    await quire.store.enqueueBatch([
      { path: '/scans/a.png', size: 1, mtimeMs: 1, kind: 'image/png' },
      { path: '/scans/b.png', size: 1, mtimeMs: 1, kind: 'image/png' },
    ]);
    const job = (await quire.store.claim('w1'))!;
    await quire.store.fail(job.jobId, 'w1', { kind: 'corrupt_file', message: 'bad' });
    before = await state();
  });
  afterAll(async () => {
    await host.close();
  });

  /** The call must answer invalid_argument with a short sentence, as data. */
  const refused = async (name: string, arg: unknown, message?: string) => {
    const r = await dispatch(host.handlers, name, arg);
    expect(r, `${name}(${show(arg)})`).toMatchObject({ ok: false, error: { name: 'QuireError', kind: 'invalid_argument' } });
    const m = r.ok ? '' : r.error.message;
    expect(m, `${name}(${show(arg)})`).toMatch(/^\S.{10,300}\.$/s);
    if (message) expect(m).toBe(message);
  };

  it('has a schema entry for every handler name, and no other', () => {
    expect(Object.keys(TABLE).sort()).toEqual([...HANDLER_NAMES].sort());
  });

  it.each(HANDLER_NAMES)('%s refuses an argument that is not an object of named arguments', async (name) => {
    for (const arg of NOT_OBJECTS) await refused(name, arg, `${name} expects an object of named arguments.`);
  });

  it.each(HANDLER_NAMES)('%s refuses arguments it does not take, by name', async (name) => {
    const s = TABLE[name];
    for (const [arg, key] of unknownKeys(s)) {
      await refused(name, arg, s.fields.length ? `"${key}" is not an argument of ${name}.` : `${name} takes no arguments ("${key}" was given).`);
    }
    // A long unknown key is not echoed in full.
    await refused(name, { [HUGE]: 1 });
  });

  it.each(HANDLER_NAMES.filter((n) => TABLE[n].bad.length))('%s refuses wrong-typed, out-of-range and missing fields', async (name) => {
    for (const arg of TABLE[name].bad) await refused(name, arg);
  });

  it('changed nothing in the queue while refusing all of that', async () => {
    expect(await state()).toEqual(before);
  });

  it.each(HANDLER_NAMES)('%s accepts its well-formed argument (a key set to undefined counts as absent, as over IPC)', async (name) => {
    const s = TABLE[name];
    const goods = s.fields.length ? [s.good, { ...(s.good as object), foo: undefined }] : [undefined, null, {}, { foo: undefined }];
    for (const arg of goods) {
      const r = await dispatch(host.handlers, name, arg);
      if (!r.ok) {
        // Well-formed but about nothing that exists (or, the second time, a folder already watched;
        // or the power handlers in this host, which runs no workers).
        expect(['not_found', 'path_missing', 'already_watched', 'not_watched', 'no_worker'], `${name}(${show(arg)}): ${r.error.message}`).toContain(r.error.kind);
      }
    }
  });

  it('answers a cursor that is text but not one of ours as invalid_cursor, and unknown settings as per-key sentences', async () => {
    expect(await dispatch(host.handlers, 'listJobs', { after: 'garbage' })).toMatchObject({ ok: false, error: { kind: 'invalid_cursor' } });
    // updateSettings' values are a map of setting names: a bad name or value is reported per key
    // (and nothing is saved), not refused as a whole.
    const r = await dispatch(host.handlers, 'updateSettings', { values: { nope: 1, ocr_timeout_seconds: NUL } });
    expect(r).toMatchObject({ ok: true, value: { errors: [{ key: 'nope' }, { key: 'ocr_timeout_seconds' }] } });
  });
});
