/**
 * axe-core in the page under test. Injected through the DevTools protocol (page.evaluate), which
 * the page's strict CSP does not apply to, so the CSP stays exactly as shipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's browser bundle: the devDependency, or QUIRE_AXE_PATH (a copy unpacked elsewhere). */
function axeSource(): string {
  const fromEnv = process.env.QUIRE_AXE_PATH;
  if (fromEnv && existsSync(fromEnv)) return readFileSync(fromEnv, 'utf8');
  try {
    return readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    throw new Error('axe-core is not installed: npm install --save-dev --save-exact axe-core@4.14.1 (or set QUIRE_AXE_PATH to its axe.min.js).');
  }
}

let source: string | null = null;

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Critical and serious WCAG violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  source ??= axeSource();
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(source);
  // A string, since this file is type-checked without the DOM library.
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  })))`)) as Violation[];
  return result.filter((v) => v.impact === 'critical' || v.impact === 'serious');
}
