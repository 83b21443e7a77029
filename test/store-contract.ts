/**
 * The one JobStore contract, run against every store (SQLite and PostgreSQL): each store's test
 * file hands in a factory that opens a fresh, empty, migrated database. Semantics must be
 * identical, so every assertion here holds for both.
 */
import { afterEach } from 'vitest';
import type { Clock } from '../src/core/clock';
import type { FileToEnqueue, JobStore } from '../src/core/store/types';
import type { JobStatus } from '../src/shared/jobs';
import type { OcrResult, PageResult } from '../src/shared/results';
import { defineAdminContract } from './store-contract-admin';
import { defineLanguagesContract } from './store-contract-languages';
import { defineListingsContract } from './store-contract-listings';
import { definePoolContract } from './store-contract-pool';
import { defineQueueContract } from './store-contract-queue';
import { defineRequeueContract } from './store-contract-requeue';
import { defineSkippedContract } from './store-contract-skipped';
import { defineStatsContract } from './store-contract-stats';
import { defineWatchContract } from './store-contract-watch';

export interface OpenOptions {
  clock: Clock;
  random?: () => number;
  maxAttempts?: number;
  backoffBaseMs?: number;
}

export interface ContractDb {
  store: JobStore;
  /** Direct SQL against the same database (`?` placeholders), for assertions the API can't make. */
  sql(query: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Close `store` and open the same database again (migrations run again). */
  reopen(opts: OpenOptions): Promise<JobStore>;
}

export type StoreFactory = (opts: OpenOptions) => Promise<ContractDb>;

/** Opens databases for one test and closes every store it opened afterwards. */
export class Harness {
  private readonly open: JobStore[] = [];
  constructor(private readonly factory: StoreFactory) {
    afterEach(async () => {
      const stores = this.open.splice(0);
      for (const s of stores) await s.close();
    });
  }
  async fresh(opts: OpenOptions): Promise<ContractDb> {
    const db = await this.factory(opts);
    this.open.push(db.store);
    const track = this.open;
    return {
      get store() {
        return db.store;
      },
      sql: (q, p) => db.sql(q, p),
      async reopen(o) {
        await db.store.close();
        const s = await db.reopen(o);
        track.push(s);
        return s;
      },
    };
  }
}

export function defineStoreContract(factory: StoreFactory): void {
  const h = new Harness(factory);
  defineQueueContract(h);
  defineAdminContract(h);
  defineStatsContract(h);
  definePoolContract(h);
  defineWatchContract(h);
  defineListingsContract(h);
  defineLanguagesContract(h);
  defineRequeueContract(h);
  defineSkippedContract(h);
}

// ---- shared fixtures -------------------------------------------------------------------------

export const MB = 1024 * 1024;

export function file(path: string, size = 1000, mtimeMs = 1_700_000_000_000, kind = 'image/png'): FileToEnqueue {
  return { path, size, mtimeMs, kind };
}

export function ocrResult(pages: number, text = 'page'): OcrResult {
  const list: PageResult[] = [];
  for (let i = 1; i <= pages; i++) list.push({ pageNo: i, text: `${text} ${i}`, confidence: 90 + i / 4, source: 'ocr' });
  return {
    text: list.map((p) => p.text).join('\f'),
    pages: list,
    confidence: 91.5,
    engine: 'tesseract.js 7.0.0',
    languages: 'eng',
    processingTimeMs: 1234,
    contentHash: 'ab'.repeat(32),
  };
}

/** Deterministic PRNG (mulberry32) so the random sequence test is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function countByStatus(db: ContractDb): Promise<Record<JobStatus, number>> {
  const out: Record<JobStatus, number> = { pending: 0, processing: 0, completed: 0, failed: 0, cancelled: 0 };
  for (const r of await db.sql('SELECT status, COUNT(*) AS n FROM ocr_queue GROUP BY status')) {
    out[r.status as JobStatus] = Number(r.n);
  }
  return out;
}
