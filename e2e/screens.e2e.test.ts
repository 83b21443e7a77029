/**
 * Every screen in Debian's Chromium against a real `quire serve` (real OCR of a few fixtures
 * first), at 1280x800, 800x600 and 390x844, light and dark: axe-core finds no critical or
 * serious violation, nothing scrolls sideways, and a screenshot of each is saved into
 * test-artifacts/screenshots/ (QUIRE_SCREENSHOTS_DIR elsewhere) with an index.md listing them.
 * Then the keyboard: every element Tab reaches shows a focus ring, on every screen.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './a11y';
import { ARTIFACTS, ensureRendererBuilt, launch, quireCli, REPO, serve, type Served, tempData } from './harness';

const FIX = join(REPO, 'test', 'fixtures', 'ocr');
const SHOTS = process.env.QUIRE_SCREENSHOTS_DIR ?? join(ARTIFACTS, 'screenshots');
const SIZES = [
  { w: 1280, h: 800 },
  { w: 800, h: 600 },
  { w: 390, h: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;

interface Screen {
  name: string;
  title: string;
  /** Brings the page to this screen and waits until it shows its content. */
  open(page: Page, url: string): Promise<void>;
}

const visit = async (page: Page, url: string, hash: string, ready: string) => {
  await page.goto(`${url}#/${hash}`);
  await page.waitForSelector(ready);
};

const SCREENS: Screen[] = [
  { name: 'dashboard', title: 'Dashboard', open: (p, u) => visit(p, u, 'dashboard', '[data-testid=progress-text]') },
  { name: 'jobs', title: 'Jobs', open: (p, u) => visit(p, u, 'jobs', '.vrow[aria-rowindex="2"]') },
  {
    name: 'job-details',
    title: 'Jobs, details of a failed job',
    async open(p, u) {
      await visit(p, u, 'jobs?status=failed', '.vrow[aria-rowindex="2"]');
      await p.locator('.vrow[aria-rowindex="2"] button:has-text("Details")').click();
      await p.waitForSelector('[data-testid=job-details-error]');
    },
  },
  {
    name: 'failures',
    title: 'Failures, a group opened',
    async open(p, u) {
      await visit(p, u, 'failures', '[data-testid=group-corrupt_file]');
      await p.locator('[data-testid=group-corrupt_file] button[aria-expanded]').click();
      await p.waitForSelector('.failed-files li');
    },
  },
  { name: 'search', title: 'Documents, a search', open: (p, u) => visit(p, u, 'documents?q=lazy%20fox', '[data-testid=search-hit]') },
  {
    name: 'document',
    title: 'A document',
    async open(p, u) {
      await visit(p, u, 'documents?q=lazy%20fox', '[data-testid=search-hit]');
      await p.locator('[data-testid=search-hit] button').first().click();
      await p.waitForSelector('.page-image img');
    },
  },
  { name: 'ingest', title: 'Add files', open: (p, u) => visit(p, u, 'ingest', '#paths') },
  { name: 'watched', title: 'Watched folders', open: (p, u) => visit(p, u, 'watched', '[data-testid=folder-state]') },
  { name: 'settings', title: 'Settings', open: (p, u) => visit(p, u, 'settings', '[data-testid=settings-save]') },
];

describe('every screen at three sizes, light and dark', { timeout: 900_000 }, () => {
  let served: Served;
  let browser: Awaited<ReturnType<typeof launch>>;
  let page: Page;
  const dataDir = tempData('quire-e2e-screens-');
  const scans = join(dataDir, 'Scans');

  beforeAll(async () => {
    ensureRendererBuilt();
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(join(scans, 'letters'), { recursive: true });
    mkdirSync(join(scans, 'reports'), { recursive: true });
    copyFileSync(join(REPO, 'test', 'fixtures', 'ui', 'phototest.tif'), join(scans, 'letters', 'letter-to-the-board-1987.tif'));
    copyFileSync(join(FIX, 'charlesw-empty.png'), join(scans, 'letters', 'blank-page.png'));
    copyFileSync(join(FIX, 'pypdf-pdflatex-4-pages.pdf'), join(scans, 'reports', 'annual-report.pdf'));
    copyFileSync(join(FIX, 'bad-truncated.png'), join(scans, 'reports', 'broken.png'));
    copyFileSync(join(FIX, 'tessjs-simple-png.png'), join(scans, 'simple.png'));
    // Real OCR first (quire run exits 1 because broken.png fails: that is the point).
    try {
      quireCli(['run', scans], dataDir);
    } catch {
      // expected: one file fails
    }
    quireCli(['watch', 'add', scans], dataDir);
    // Two files waiting in a paused queue: the screens show work in hand and the paused state.
    const inbox = join(dataDir, 'Inbox');
    mkdirSync(inbox);
    copyFileSync(join(FIX, 'tessjs-simple-gif.gif'), join(inbox, 'fax-0001.gif'));
    copyFileSync(join(FIX, 'tessjs-simple-webp.webp'), join(inbox, 'fax-0002.webp'));
    quireCli(['pause'], dataDir);
    quireCli(['ingest', inbox], dataDir);
    // One value pinned by the environment, as a person running `OCR_TIMEOUT_SECONDS=120 quire serve` would.
    served = await serve(dataDir, [], { OCR_CONCURRENT_JOBS: '', OCR_TIMEOUT_SECONDS: '120' });
    browser = await launch();
    page = await browser.context.newPage();
    await page.goto(served.openUrl);
    await page.waitForSelector('[data-testid=progress-text]');
    // Real OCR of five files on a shared 2-core machine can take longer than the default minute.
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('axe finds no critical or serious violation, no screen scrolls sideways, and each is screenshotted', async () => {
    const problems: string[] = [];
    const index: string[] = ['# Quire screenshots', '', 'Made by `e2e/screens.e2e.test.ts` against `quire serve` with real OCR.', ''];
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      for (const { w, h } of SIZES) {
        await page.setViewportSize({ width: w, height: h });
        for (const s of SCREENS) {
          await s.open(page, served.url);
          const file = `${s.name}-${w}x${h}-${theme}.png`;
          await page.screenshot({ path: join(SHOTS, file) });
          index.push(`- ${s.title}, ${w}x${h}, ${theme}: [${file}](${file})`);
          const wide = (await page.evaluate('document.documentElement.scrollWidth')) as number;
          if (wide > w) problems.push(`${s.name} ${w}x${h} ${theme}: the page is ${wide} px wide (scrolls sideways)`);
          for (const v of await axeViolations(page)) problems.push(`${s.name} ${w}x${h} ${theme}: ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(', ')}`);
        }
      }
    }
    // The menu of a phone-sized window, opened.
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await SCREENS[0]!.open(page, served.url);
    await page.click('[data-testid=menu-button]');
    await page.waitForSelector('[data-testid=nav-jobs]', { state: 'visible' });
    await page.screenshot({ path: join(SHOTS, 'menu-390x844-light.png') });
    index.push('- The menu on a phone, 390x844, light: [menu-390x844-light.png](menu-390x844-light.png)');
    for (const v of await axeViolations(page)) problems.push(`menu 390x844: ${v.impact} ${v.id} at ${v.targets.join(', ')}`);
    writeFileSync(join(SHOTS, 'index.md'), index.join('\n') + '\n');
    expect(problems).toEqual([]);
  });

  it('every element Tab reaches shows a focus ring, on every screen', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const missing: string[] = [];
    for (const s of SCREENS) {
      await s.open(page, served.url);
      // Walk from the top of the page: the skip link is the first stop.
      await page.evaluate("document.querySelector('.skip').focus()");
      await page.keyboard.press('Shift+Tab');
      const seen = new Set<string>();
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        // A string, since this file is type-checked without the DOM library.
        // Each element reached is marked, so coming round to the first one again ends the walk.
        const f = (await page.evaluate(`(() => {
          const el = document.activeElement;
          if (!el || el === document.body) return null;
          if (el.__tabWalk === '${s.name}') return { again: true };
          el.__tabWalk = '${s.name}';
          const cs = getComputedStyle(el);
          const ring = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1;
          const r = el.getBoundingClientRect();
          return { id: el.outerHTML.slice(0, 90), ring, visible: r.width > 0 && r.height > 0 };
        })()`)) as { again?: true; id: string; ring: boolean; visible: boolean } | null;
        if (!f || f.again) break;
        seen.add(`${i} ${f.id}`);
        if (!f.ring || !f.visible) missing.push(`${s.name}: ${f.id}`);
      }
      expect(seen.size, `${s.name}: Tab reached nothing`).toBeGreaterThan(3);
    }
    expect(missing).toEqual([]);
  });

  it('keeps the search across navigation: Back from a document shows the same query and results', async () => {
    await visit(page, served.url, 'documents', '#search');
    await page.fill('#search', 'lazy fox');
    await page.press('#search', 'Enter');
    await page.waitForSelector('[data-testid=search-hit]');
    await page.locator('[data-testid=search-hit] button').first().click();
    await page.waitForSelector('[data-testid=page-text] mark');
    expect(await page.locator('[data-testid=page-text] mark').first().textContent()).toMatch(/lazy|fox/i);
    expect(await page.textContent('[data-testid=doc-meta]')).toMatch(/Pages\s*1/);
    await page.goBack();
    await page.waitForSelector('[data-testid=search-hit]');
    expect(await page.inputValue('#search')).toBe('lazy fox');
    expect(await page.textContent('[data-testid=search-count]')).toBe('1 document matches. ');
  });

  it('labels pages honestly and shows an error, not another document, for a bad link', async () => {
    await visit(page, served.url, 'documents?q=lazy', '[data-testid=search-hit]');
    await page.locator('[data-testid=search-hit] button').first().click();
    await page.waitForSelector('[data-testid=viewer-title]:has-text("letter-to-the-board-1987.tif")');
    await page.goto(`${served.url}#/document/no-such-id`);
    await page.waitForSelector('[role=alert]');
    expect(await page.textContent('[data-testid=viewer-title]')).toBe('Document not found');
    expect(await page.locator('[data-testid=page-text]').count()).toBe(0);
    // The blank scan: OCR ran and found nothing; it is not called a text layer.
    await visit(page, served.url, 'jobs?path=blank-page', '.vrow[aria-rowindex="2"]');
    await page.locator('.vrow[aria-rowindex="2"] .c-path button').click();
    await page.waitForSelector('[data-testid=page-label]');
    expect(await page.textContent('[data-testid=page-label]')).toBe('(OCR found no text on this page)');
    // Back returns to the Jobs list with its filter, typed or given in the address.
    await page.goBack();
    await page.waitForSelector('[data-testid=jobs-count]:text("1 job shown")');
    expect(await page.inputValue('[data-testid=filter-path]')).toBe('blank-page');
    await page.selectOption('[data-testid=filter-status]', 'completed');
    await page.waitForSelector('.vrow[aria-rowindex="2"] .c-path button');
    await page.locator('.vrow[aria-rowindex="2"] .c-path button').click();
    await page.waitForSelector('[data-testid=page-label]');
    await page.goBack();
    await page.waitForSelector('[data-testid=jobs-count]:text("1 job shown")');
    expect(await page.inputValue('[data-testid=filter-status]')).toBe('completed');
  });

  it('shows settings in words: pinned values read-only with their variable, installed languages, no leaked messages', async () => {
    await visit(page, served.url, 'settings', '[data-testid=settings-save]');
    expect(await page.textContent('label[for=set-ocr_timeout_seconds]')).toBe('Time limit for one page (seconds)');
    expect(await page.getAttribute('[data-testid=set-ocr_timeout_seconds]', 'readonly')).not.toBeNull();
    expect(await page.inputValue('[data-testid=set-ocr_timeout_seconds]')).toBe('120');
    expect(await page.textContent('[data-testid=set-ocr_timeout_seconds-pinned]')).toContain('Set by the environment variable OCR_TIMEOUT_SECONDS');
    const languages = page.locator('[data-testid=set-ocr_languages] label');
    // The seven shipped languages, by name, in the order of their codes.
    expect(await languages.allTextContents()).toEqual(['German (deu)', 'English (eng)', 'French (fra)', 'Italian (ita)', 'Dutch (nld)', 'Portuguese (por)', 'Spanish (spa)']);
    await page.fill('[data-testid=set-concurrent_ocr_jobs]', '');
    await page.click('[data-testid=settings-save]');
    expect(await page.textContent('[data-testid=set-concurrent_ocr_jobs-error]')).toBe('Enter a value: it accepts a whole number from 1 to 64.');
    expect(await page.textContent('main')).not.toContain('"value"');
    await page.click('button:text("Undo changes")');

    // Asking for more workers than cores: the field shows what runs, and the sentence says why.
    const cores = availableParallelism();
    const asked = Math.min(64, cores + 1);
    await visit(page, served.url, 'dashboard', '#concurrency');
    await page.fill('#concurrency', String(asked));
    await page.click('form:has(#concurrency) button[type=submit]');
    await page.waitForSelector(`text=you asked for ${asked}`);
    expect(await page.inputValue('#concurrency')).toBe(String(Math.min(asked, cores)));
    await page.fill('#concurrency', '');
    await page.click('form:has(#concurrency) button[type=submit]');
    await page.waitForSelector('text=Enter a whole number from 1 to 64.');
    expect(await page.textContent('main')).not.toContain('"value"');
  });

  it('loads page images as they scroll into view, and labels text-layer pages as such', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await visit(page, served.url, 'jobs?path=annual-report', '.vrow[aria-rowindex="2"]');
    await page.locator('.vrow[aria-rowindex="2"] .c-path button').click();
    await page.waitForSelector('[data-testid=page] >> nth=3');
    expect(await page.locator('[data-testid=page-label]').allTextContents()).toEqual(Array(4).fill('(text from the file’s own text layer)'));
    // The last page is far below the fold: its image is not asked for yet.
    const last = page.locator('[data-testid=page]').nth(3);
    expect(await last.textContent()).toContain('The image loads when this page is in view.');
    await last.scrollIntoViewIfNeeded();
    await last.locator('img').waitFor({ timeout: 60_000 });
  });
});
