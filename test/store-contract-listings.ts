/** Contract: the UI's listings (keyset-paged jobs, failure groups, processing rows, throughput, search). */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import type { FileToEnqueue, JobStore } from '../src/core/store/types';
import type { JobListRow, JobSort } from '../src/shared/listings';
import type { Harness } from './store-contract';

function files(paths: string[]): FileToEnqueue[] {
  return paths.map((path, i) => ({ path, size: 1000 + i, mtimeMs: 1, kind: 'image/png' }));
}

async function all(store: JobStore, sort: JobSort, limit: number, extra = {}): Promise<JobListRow[]> {
  const out: JobListRow[] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await store.listJobs({ sort, limit, after, ...extra });
    out.push(...page.rows);
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    if (!page.next) return out;
    after = page.next;
  }
  throw new Error('pagination did not end');
}

export function defineListingsContract(h: Harness): void {
  describe('listings', () => {
    it('pages through every job exactly once in each sort order', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      const paths = Array.from({ length: 53 }, (_, i) => `/scans/${String.fromCharCode(97 + (i * 7) % 26)}/${i}.png`);
      await store.enqueueBatch(files(paths));
      for (const sort of ['created_desc', 'created_asc', 'path_asc', 'path_desc'] as JobSort[]) {
        const rows = await all(store, sort, 10);
        expect(rows).toHaveLength(53);
        expect(new Set(rows.map((r) => r.id)).size).toBe(53);
        const got = rows.map((r) => r.path);
        if (sort === 'created_asc') expect(got).toEqual(paths);
        if (sort === 'created_desc') expect(got).toEqual([...paths].reverse());
        if (sort === 'path_asc') expect(got).toEqual([...paths].sort());
        if (sort === 'path_desc') expect(got).toEqual([...paths].sort().reverse());
      }
    });

    it('filters by status, error kind, folder and path text', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch(files(['/a/one.png', '/a/sub/two.png', '/ab/three.png', '/b/100%_done.png', '/b/four.png']));
      // Fail two jobs with different kinds, complete one.
      const c1 = (await store.claim('w'))!;
      await store.fail(c1.jobId, 'w', { kind: 'corrupt_file', message: 'bad bytes' });
      const c2 = (await store.claim('w'))!;
      await store.fail(c2.jobId, 'w', { kind: 'file_missing', message: 'gone' });
      const c3 = (await store.claim('w'))!;
      await store.complete(c3.jobId, 'w', {
        text: 'hello',
        pages: [{ pageNo: 1, text: 'hello', confidence: 90, source: 'ocr' }],
        confidence: 90,
        engine: 't',
        languages: 'eng',
        processingTimeMs: 5,
        contentHash: null,
      });
      const failed = await store.listJobs({ status: 'failed', sort: 'path_asc', limit: 50 });
      expect(failed.rows.map((r) => r.path).sort()).toEqual([c1.path, c2.path].sort());
      const corrupt = await store.listJobs({ kind: 'corrupt_file', sort: 'path_asc', limit: 50 });
      expect(corrupt.rows.map((r) => r.path)).toEqual([c1.path]);
      expect(corrupt.rows[0]!.errorMessage).toBe('bad bytes');
      // Folder: /a holds /a/one.png and /a/sub/two.png but not /ab/three.png.
      const inA = await store.listJobs({ folder: '/a/', sort: 'path_asc', limit: 50 });
      expect(inA.rows.map((r) => r.path)).toEqual(['/a/one.png', '/a/sub/two.png']);
      // Path text is a literal substring: % and _ are not wildcards.
      const pct = await store.listJobs({ pathSearch: '100%_', sort: 'path_asc', limit: 50 });
      expect(pct.rows.map((r) => r.path)).toEqual(['/b/100%_done.png']);
      const ci = await store.listJobs({ pathSearch: 'FOUR', sort: 'path_asc', limit: 50 });
      expect(ci.rows.map((r) => r.path)).toEqual(['/b/four.png']);
    });

    it('refuses a cursor from another sort order with a sentence', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch(files(['/x/1.png', '/x/2.png']));
      const page = await store.listJobs({ sort: 'created_asc', limit: 1 });
      await expect(store.listJobs({ sort: 'path_asc', limit: 1, after: page.next! })).rejects.toThrow(/cursor is not valid/);
    });

    it('groups failures by kind, largest first', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch(files(['/f/1.png', '/f/2.png', '/f/3.png']));
      for (const kind of ['corrupt_file', 'file_missing', 'corrupt_file'] as const) {
        const c = (await store.claim('w'))!;
        await store.fail(c.jobId, 'w', { kind, message: kind });
      }
      expect(await store.failureGroups()).toEqual([
        { kind: 'corrupt_file', count: 2 },
        { kind: 'file_missing', count: 1 },
      ]);
    });

    it('returns pages in order, searches text with snippets, and lists processing jobs with their page', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      await store.enqueueBatch(files(['/d/letter.png', '/d/other.png']));
      const c = (await store.claim('w1'))!;
      await store.progress(c.jobId, 'w1', 1, 2);
      const busy = await store.listProcessingRows();
      expect(busy.map((r) => [r.path, r.workerId, r.progressPage, r.progressPages])).toEqual([[c.path, 'w1', 1, 2]]);
      await store.complete(c.jobId, 'w1', {
        text: 'Dear committee\fThe quick brown dog jumped over the lazy fox',
        pages: [
          { pageNo: 2, text: 'The quick brown dog jumped over the lazy fox', confidence: 88, source: 'ocr' },
          { pageNo: 1, text: 'Dear committee', confidence: 91, source: 'ocr' },
        ],
        confidence: 90,
        engine: 't',
        languages: 'eng',
        processingTimeMs: 5,
        contentHash: null,
      });
      expect((await store.getPages(c.documentId)).map((p) => p.pageNo)).toEqual([1, 2]);
      const hits = await store.search('lazy dog', 10);
      expect(hits).toHaveLength(1);
      expect(hits[0]!.path).toBe(c.path);
      expect(hits[0]!.snippet).toContain('\u0002lazy\u0003');
      // FTS syntax in the query is just text, never an error.
      expect(await store.search('"lazy" fox* NEAR(', 10)).toHaveLength(0);
      expect(await store.search('("lazy" fox*', 10)).toHaveLength(1);
      expect(await store.search('   ', 10)).toEqual([]);
      expect(await store.listProcessingRows()).toEqual([]);
      const minute = Math.floor(clock.now() / 60_000);
      expect(await store.throughput(minute - 5)).toEqual([{ minute, completed: 1 }]);
    });
    it('pages filtered lists with the cursor, and counts throughput per minute', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      const paths = Array.from({ length: 12 }, (_, i) => `/in/${i % 2 ? 'Odd' : 'even'}/${String(i).padStart(2, '0')}.png`);
      await store.enqueueBatch(files([...paths, '/inbox/odd/x.png']));
      const odd = await all(store, 'path_desc', 2, { folder: '/in', pathSearch: 'oDD/' });
      expect(odd.map((r) => r.path)).toEqual(paths.filter((p) => p.includes('Odd')).sort().reverse());
      const created = await all(store, 'created_asc', 4, { folder: '/in/even', status: 'pending' });
      expect(created.map((r) => r.path)).toEqual(paths.filter((p) => p.includes('even')));
      await expect(store.listJobs({ sort: 'created_asc', limit: 1, after: 'not a cursor' })).rejects.toThrow(/cursor is not valid/);

      const t0 = Math.floor(clock.now() / 60_000);
      for (const advance of [0, 0, 120_000]) {
        clock.advance(advance);
        const j = (await store.claim('w'))!;
        await store.complete(j.jobId, 'w', { text: 'x', pages: [], confidence: null, engine: 't', languages: 'eng', processingTimeMs: 1, contentHash: null });
      }
      clock.advance(60_000);
      const j = (await store.claim('w'))!; // a claim alone is no completion
      await store.fail(j.jobId, 'w', { kind: 'corrupt_file', message: 'bad' });
      expect(await store.throughput(t0)).toEqual([
        { minute: t0, completed: 2 },
        { minute: t0 + 2, completed: 1 },
      ]);
      expect(await store.throughput(t0 + 1)).toEqual([{ minute: t0 + 2, completed: 1 }]);
      await store.stats(); // PostgreSQL folds its minute deltas here: same answer after
      expect(await store.throughput(t0)).toEqual([
        { minute: t0, completed: 2 },
        { minute: t0 + 2, completed: 1 },
      ]);
    });

    it('finds paths by text the same way whether few or many match', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      const paths = Array.from({ length: 2100 }, (_, i) => `/big/${i % 2 ? 'odd' : 'even'}-${String(i).padStart(4, '0')}.png`);
      await store.enqueueBatch(files(paths));
      // Many matches (over the probe's bound): jobs walked in order.
      const even = await all(store, 'created_desc', 400, { pathSearch: 'EVEN-' });
      expect(even.map((r) => r.path)).toEqual(paths.filter((p) => p.includes('even-')).reverse());
      // Few matches: documents collected first; same order, same paging.
      const few = await all(store, 'path_asc', 2, { pathSearch: 'odd-000' });
      expect(few.map((r) => r.path)).toEqual(['/big/odd-0001.png', '/big/odd-0003.png', '/big/odd-0005.png', '/big/odd-0007.png', '/big/odd-0009.png']);
    });
  });
}
