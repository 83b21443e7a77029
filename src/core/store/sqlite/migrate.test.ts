import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_SQLITE, tempDir } from '../../../../test/helpers';
import { loadMigrations } from '../migrations';
import { SqliteJobStore } from './store';
import { queuePolicy } from '../../queue/policy';

const dir = tempDir();
let n = 0;
const dbPath = () => join(dir, `db-${++n}.sqlite`);

describe('SQLite migrations', () => {
  it('applies every migration once, with WAL, foreign keys and a busy timeout', async () => {
    const path = dbPath();
    const migrations = loadMigrations(MIGRATIONS_SQLITE);
    const store = new SqliteJobStore({ path, migrations, policy: queuePolicy() });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(Number(store.db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    await store.close();
    // Opening again applies nothing new.
    const again = new SqliteJobStore({ path, migrations, policy: queuePolicy() });
    const rows = again.db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: number }[];
    expect(rows.map((r) => r.id)).toEqual(migrations.map((m) => m.id));
    await again.close();
  });

  it('refuses a database written by a newer version, with a clear message', async () => {
    const path = dbPath();
    const migrations = loadMigrations(MIGRATIONS_SQLITE);
    await new SqliteJobStore({ path, migrations, policy: queuePolicy() }).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(
      migrations.length + 1,
      'from_the_future',
      'x',
      0,
    );
    db.close();
    expect(() => new SqliteJobStore({ path, migrations, policy: queuePolicy() })).toThrow(
      new RegExp(`written by a newer version of Quire \\(schema ${migrations.length + 1}; this version knows up to ${migrations.length}\\)`),
    );
  });

  it('refuses when a shipped migration was edited', async () => {
    const path = dbPath();
    const edited = join(dir, 'edited-migrations');
    mkdirSync(edited);
    for (const f of readdirSync(MIGRATIONS_SQLITE)) copyFileSync(join(MIGRATIONS_SQLITE, f), join(edited, f));
    await new SqliteJobStore({ path, migrations: loadMigrations(edited), policy: queuePolicy() }).close();
    const first = readdirSync(edited).sort()[0]!;
    writeFileSync(join(edited, first), '-- edited\n', { flag: 'a' });
    expect(() => new SqliteJobStore({ path, migrations: loadMigrations(edited), policy: queuePolicy() })).toThrow(/differs from the one this database was built with/);
  });

  it('a failing migration leaves no trace: its statements and bookkeeping roll back together', async () => {
    const path = dbPath();
    const broken = join(dir, 'broken-migrations');
    mkdirSync(broken);
    for (const f of readdirSync(MIGRATIONS_SQLITE)) copyFileSync(join(MIGRATIONS_SQLITE, f), join(broken, f));
    const next = String(readdirSync(broken).length + 1).padStart(4, '0');
    writeFileSync(join(broken, `${next}_broken.sql`), 'CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;\n');
    expect(() => new SqliteJobStore({ path, migrations: loadMigrations(broken), policy: queuePolicy() })).toThrow();
    const db = new Database(path);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half_done'`).all();
    const max = db.prepare('SELECT MAX(id) AS m FROM schema_migrations').get() as { m: number };
    db.close();
    expect(tables).toEqual([]);
    expect(max.m).toBe(Number(next) - 1);
  });

  it('explains a file that is not a database', () => {
    const path = dbPath();
    writeFileSync(path, 'this is not sqlite at all, just some text that is long enough to have a header'.repeat(20));
    expect(() => new SqliteJobStore({ path, migrations: loadMigrations(MIGRATIONS_SQLITE), policy: queuePolicy() })).toThrow(
      /is damaged or is not a Quire database\. Move it aside/,
    );
  });
});
