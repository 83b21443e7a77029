/** Contract: the files Quire does not read (skipped list) and the accounting of a run's paths. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock';
import { file, type Harness } from './store-contract';
import { textResult } from './store-contract-pool';

export function defineSkippedContract(h: Harness): void {
  describe('skipped files', () => {
    it('records files with their reason, counts them by reason and lists them by path', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      expect(await store.listSkipped(10)).toEqual({ total: 0, byReason: [], files: [] });
      const seen = clock.now();
      await store.replaceSkipped(
        ['/s'],
        [
          { path: '/s/notes.txt', reason: 'unsupported_format', message: 'not a supported image or PDF' },
          { path: '/s/b/scan.heic.zip', reason: 'unsupported_format', message: 'not a supported image or PDF' },
          { path: '/s/locked.png', reason: 'permission_denied', message: 'permission denied' },
        ],
      );
      const all = await store.listSkipped(2);
      expect(all.total).toBe(3);
      expect(all.byReason).toEqual([
        { reason: 'unsupported_format', count: 2 },
        { reason: 'permission_denied', count: 1 },
      ]);
      expect(all.files).toEqual([
        { path: '/s/b/scan.heic.zip', reason: 'unsupported_format', message: 'not a supported image or PDF', seenAt: seen },
        { path: '/s/locked.png', reason: 'permission_denied', message: 'permission denied', seenAt: seen },
      ]);
    });

    it('a new walk of a path replaces the entries at and under it, and nothing beside it', async () => {
      const clock = new ManualClock();
      const { store } = await h.fresh({ clock });
      const entry = (path: string) => ({ path, reason: 'unsupported_format' as const, message: 'x' });
      await store.replaceSkipped(['/s', '/s-2'], [entry('/s/a.txt'), entry('/s/sub/b.txt'), entry('/s-2/c.txt'), entry('/sx.txt')]);
      clock.advance(1000);
      // /s walked again: a.txt is still there (seen again), sub/b.txt was converted or removed.
      await store.replaceSkipped(['/s'], [{ path: '/s/a.txt', reason: 'permission_denied', message: 'permission denied' }]);
      const after = await store.listSkipped(10);
      expect(after.files.map((f) => [f.path, f.reason])).toEqual([
        ['/s-2/c.txt', 'unsupported_format'],
        ['/s/a.txt', 'permission_denied'],
        ['/sx.txt', 'unsupported_format'],
      ]);
      expect(after.files.find((f) => f.path === '/s/a.txt')!.seenAt).toBe(clock.now());
      // A root that is one file forgets only that file.
      await store.replaceSkipped(['/sx.txt'], []);
      expect((await store.listSkipped(10)).files.map((f) => f.path)).toEqual(['/s-2/c.txt', '/s/a.txt']);
    });

    it('lists only what is at or under the given paths, each counted once', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      const entry = (path: string) => ({ path, reason: 'not_a_file' as const, message: 'not a regular file' });
      await store.replaceSkipped([], [entry('/a/1'), entry('/a/b/2'), entry('/ab/3'), entry('/c/4')]);
      const under = await store.listSkipped(10, ['/a', '/a/b', '/c/4']);
      expect(under.total).toBe(3);
      expect(under.byReason).toEqual([{ reason: 'not_a_file', count: 3 }]);
      expect(under.files.map((f) => f.path)).toEqual(['/a/1', '/a/b/2', '/c/4']);
      expect((await store.listSkipped(1, ['/a'])).files.map((f) => f.path)).toEqual(['/a/1']);
    });
  });

  describe('accounting of the files under some paths', () => {
    it('counts documents by their state and names those not completed, each once', async () => {
      const { store } = await h.fresh({ clock: new ManualClock() });
      await store.enqueueBatch(['/s/a.png', '/s/b.png', '/s/c/d.png', '/s/e.png', '/s/gone.png', '/other.png'].map((p) => file(p)));
      // One claim at a time, by path order: priorities are equal, so jobs come oldest first.
      const a = await store.claim('w');
      expect(a!.path).toBe('/s/a.png');
      await store.complete(a!.jobId, 'w', textResult('text', null));
      const b = (await store.claim('w'))!;
      expect(b.path).toBe('/s/b.png');
      expect(await store.fail(b.jobId, 'w', { kind: 'corrupt_file', message: 'truncated' })).toEqual({ status: 'failed' });
      const d = (await store.claim('w'))!;
      expect(d.path).toBe('/s/c/d.png');
      expect(await store.cancel({ jobId: d.jobId })).toBe(1);
      await store.setSourceMissing(['/s/gone.png'], true);
      const tally = await store.tallyUnder(['/s', '/s/c'], 10);
      expect(tally.counts).toEqual({ pending: 1, processing: 0, completed: 1, failed: 1, cancelled: 1 });
      expect(tally.dismissed).toBe(0);
      expect(tally.unfinished).toEqual([
        { path: '/s/b.png', status: 'failed', errorKind: 'corrupt_file', errorMessage: 'truncated' },
        { path: '/s/c/d.png', status: 'cancelled', errorKind: 'cancelled', errorMessage: 'Cancelled by the user.' },
        { path: '/s/e.png', status: 'pending', errorKind: null, errorMessage: null },
      ]);
      expect((await store.tallyUnder(['/s/c/d.png', '/other.png'], 1)).unfinished.map((u) => u.path)).toEqual(['/other.png']);
      expect((await store.tallyUnder(['/nowhere'], 10)).counts).toEqual({ pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 });
      // A dismissed failure is accounted for apart: not failed, not listed as unfinished.
      expect(await store.dismissFailures({ kind: 'corrupt_file' })).toBe(1);
      const after = await store.tallyUnder(['/s', '/s/c'], 10);
      expect(after.counts).toEqual({ pending: 1, processing: 0, completed: 1, failed: 0, cancelled: 1 });
      expect(after.dismissed).toBe(1);
      expect(after.unfinished.map((u) => u.path)).toEqual(['/s/c/d.png', '/s/e.png']);
    });
  });
}
