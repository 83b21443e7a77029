/**
 * OCR languages installed with this copy of Quire: traineddata in resources/tessdata (what the
 * packaged app ships) and the @tesseract.js-data packages (a checkout). Listing only: the OCR
 * engine decides how to load them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths';

export function installedLanguages(root: string = packageRoot()): string[] {
  const found = new Set<string>();
  const tessdata = join(root, 'resources', 'tessdata');
  if (existsSync(tessdata)) {
    for (const f of readdirSync(tessdata)) {
      const m = /^([a-z_]+)\.traineddata(\.gz)?$/i.exec(f);
      if (m) found.add(m[1]!);
    }
  }
  const pkgs = join(root, 'node_modules', '@tesseract.js-data');
  if (existsSync(pkgs)) {
    // osd is orientation data, not a language a person picks.
    for (const name of readdirSync(pkgs)) if (name !== 'osd') found.add(name);
  }
  return [...found].sort();
}
