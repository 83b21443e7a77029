/**
 * Reading numbered migration files. Files are `NNNN_name.sql`; ids are the numbers. The runner
 * per dialect applies them; this module only finds and checks them.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QuireError } from '../../shared/errors';

export interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string; // sha256 of the file, to notice a shipped migration that was edited
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir: string): Migration[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new QuireError('migrations_missing', `Quire's schema files were not found in ${dir}.`, { cause: err });
  }
  const out: Migration[] = [];
  for (const file of names.sort()) {
    const m = FILE.exec(file);
    if (!m) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    out.push({
      id: Number(m[1]),
      name: m[2]!,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  out.forEach((mig, i) => {
    if (mig.id !== i + 1) {
      throw new QuireError('migrations_gap', `Schema files in ${dir} must be numbered 0001, 0002, ... without gaps.`);
    }
  });
  return out;
}

export function tooNewMessage(dbVersion: number, codeVersion: number, where: string): string {
  return (
    `The database at ${where} was written by a newer version of Quire (schema ${dbVersion}; ` +
    `this version knows up to ${codeVersion}). Upgrade Quire, or use a different data folder.`
  );
}
