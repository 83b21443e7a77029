/**
 * Administration of the database file itself, outside the queue API: checking and setting aside
 * a damaged SQLite file (it cannot be opened as a queue), and copying a queue into PostgreSQL.
 */
import { isPostgresUrl } from '../core/config/environment';
import { queuePolicy } from '../core/queue/policy';
import { QuireError } from '../shared/errors';
import type { Command } from './command';
import { statusLine, table } from './output';
import { REPAIR_SUMMARY, REPAIR_USAGE, runRepair } from './repair';

export const ADMIN_COMMANDS: Command[] = [
  {
    name: 'migrate-store',
    usage: 'quire migrate-store --to <postgres://user@host:port/db> [--force]',
    summary: 'Copy the SQLite queue (documents, pages, jobs, settings) into PostgreSQL; --force empties a non-empty target first.',
    details:
      'The PostgreSQL database is made ready (migrations) and the copy checked row for row. Afterwards point every\n' +
      'command at it with --database-url or DATABASE_URL. The SQLite file is left as it was.',
    options: { to: { type: 'string' }, force: { type: 'boolean' } },
    async run(ctx) {
      const to = ctx.flags.to;
      if (typeof to !== 'string' || ctx.args.length > 0) throw new QuireError('usage', 'Usage: quire migrate-store --to <postgres://...> [--force]');
      if (!isPostgresUrl(to)) throw new QuireError('usage', `--to must be a PostgreSQL URL (postgres://user@host:port/database), not "${to}".`);
      const { migrateStore } = await import('../core/store/migrate-store');
      const host = await ctx.open();
      const line = statusLine(ctx.io.err);
      let report;
      try {
        report = await migrateStore({
          dataDir: ctx.dataDir,
          to,
          force: Boolean(ctx.flags.force),
          current: host.quire.store,
          policy: queuePolicy(),
          onProgress: (t, rows) => line.update(`copying ${t}: ${rows}`),
        });
      } finally {
        line.done();
      }
      ctx.io.out.write(table(Object.entries(report).map(([k, v]) => [k, String(v)])));
      ctx.io.out.write(`Copied into PostgreSQL. Use it with --database-url or DATABASE_URL=<url>.\n`);
      return 0;
    },
  },
  {
    name: 'repair',
    usage: REPAIR_USAGE,
    summary: REPAIR_SUMMARY,
    details:
      'Exit 0 when the database is healthy, 1 when it is damaged. --move-aside renames a damaged quire.db (and its\n' +
      '-wal/-shm files) to quire.db.broken-<time>, never deleting it; add your folders again to start a fresh queue.',
    options: { 'move-aside': { type: 'boolean' } },
    // The store refuses to open a damaged database, which is what repair is for.
    noStore: true,
    async run(ctx) {
      return runRepair(ctx.dataDir, ctx.flags['move-aside'] === true, ctx.io);
    },
  },
];
