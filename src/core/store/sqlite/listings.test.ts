import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_SQLITE, tempDir } from '../../../../test/helpers';
import { ManualClock } from '../../clock';
import { loadMigrations } from '../migrations';
import type { FileToEnqueue, JobListRow, JobSort } from '../types';
import { folderRange, ftsQuery } from './listings';
import { SqliteJobStore } from './store';

const dir = tempDir('quire-listings-');
let n = 0;
function open(clock = new ManualClock()) {
  return new SqliteJobStore({ path: join(dir, `q${n++}.db`), migrations: loadMigrations(MIGRATIONS_SQLITE), clock });
}

function files(paths: string[]): FileToEnqueue[] {
  return paths.map((path, i) => ({ path, size: 1000 + i, mtimeMs: 1, kind: 'image/png' }));
}

async function all(store: SqliteJobStore, sort: JobSort, limit: number, extra = {}): Promise<JobListRow[]> {
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

// The listings' behaviour is in the shared store contract (test/store-contract-listings.ts); this
// covers what only the SQLite statements do: the path-search probe.
describe('SqliteJobStore listings', () => {
  it('finds paths by text the same way whether few or many match', async () => {
    const store = open();
    const paths = Array.from({ length: 2100 }, (_, i) => `/big/${i % 2 ? 'odd' : 'even'}-${String(i).padStart(4, '0')}.png`);
    await store.enqueueBatch(files(paths));
    // Many matches (over the probe's bound): jobs walked in order.
    const even = await all(store, 'created_desc', 400, { pathSearch: 'EVEN-' });
    expect(even.map((r) => r.path)).toEqual(paths.filter((p) => p.includes('even-')).reverse());
    // Few matches: documents collected first; same order, same paging.
    const few = await all(store, 'path_asc', 2, { pathSearch: 'odd-000' });
    expect(few.map((r) => r.path)).toEqual(['/big/odd-0001.png', '/big/odd-0003.png', '/big/odd-0005.png', '/big/odd-0007.png', '/big/odd-0009.png']);
    await store.close();
  });
});

describe('listing helpers', () => {
  it('turns a folder into a path range that excludes sibling prefixes', () => {
    expect(folderRange('/a')).toEqual(['/a/', '/a0']);
    expect(folderRange('/a///')).toEqual(['/a/', '/a0']);
    expect(folderRange('C:\\Scans\\')).toEqual(['C:\\Scans\\', 'C:\\Scans]']);
  });

  it('quotes every word of a search', () => {
    expect(ftsQuery('lazy dog')).toBe('"lazy" "dog"');
    expect(ftsQuery('a"b OR c')).toBe('"a" "b" "OR" "c"');
    expect(ftsQuery('!!')).toBeNull();
  });
});
