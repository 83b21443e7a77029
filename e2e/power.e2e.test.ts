/**
 * The power policy in a browser: `quire serve` (scripted engine) on a fake /sys tree. Unplugged,
 * the Dashboard says "1 of 2 workers: on battery (43%)" as `quire stats` does; "Run at full speed
 * now" lifts it until the queue is empty, after which the limit is back by itself; on AC the
 * reason goes.
 */
import { join } from 'node:path';
import { writeFileSync, mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, quire } from '../test/pool/cli-helpers';
import { laptopOnAc, laptopOnBattery } from '../test/support/fake-sysfs';
import { ensureRendererBuilt, launch, quireCli, screenshot, serve, type Served, tempData } from './harness';

describe('battery, idle and schedule on the Dashboard', { timeout: 150_000 }, () => {
  const base = tempData('quire-e2e-power-');
  const data = join(base, 'data');
  const sys = join(base, 'sys');
  const scans = join(base, 'scans');
  let served: Served | undefined;
  let browser: Awaited<ReturnType<typeof launch>> | undefined;

  beforeAll(() => {
    ensureRendererBuilt();
    laptopOnAc(sys, 100);
    mkdirSync(scans, { recursive: true });
    for (const n of ['a', 'b', 'c', 'd']) writeFileSync(join(scans, `${n}.png`), `name ${n}.png\ndelay 300\n`);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('says why fewer workers run, lifts it for the batch on request, and drops the reason on AC', async () => {
    const env = { QUIRE_TEST_ENGINE: 'scripted', OCR_CONCURRENT_JOBS: '2', QUIRE_SYSFS_ROOT: sys, QUIRE_ACTIVE_MAX_WORKERS: '64' };
    served = await serve(data, [], env, { scripted: true });
    browser = await launch();
    const page = await browser.context.newPage();
    await page.goto(served.openUrl);
    const status = page.locator('[data-testid=power-status]');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('2 workers at full speed');

    laptopOnBattery(sys, 43);
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('1 of 2 workers: on battery (43%)');
    const stats = JSON.parse(quireCli(['stats', '--json'], data));
    expect(stats).toMatchObject({ workersAllowed: 1, throttleReason: '1 of 2 workers: on battery (43%)' });
    await screenshot(page, 'power-on-battery');

    await page.click('button:has-text("Run at full speed now")');
    await page.waitForSelector('text=Running at full speed (2 workers) until the queue is empty.');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('2 workers at full speed');
    expect(await page.locator('[data-testid=power-override]').textContent()).toContain('instead of 1 of 2 workers: on battery (43%)');

    // The batch: four files; once they are done the override ends and the limit is back.
    expect((await quire(['ingest', scans, '--data-dir', data], cliEnv(`power-e2e-${process.pid}`, env))).code).toBe(0);
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('1 of 2 workers: on battery (43%)');
    expect(JSON.parse(quireCli(['stats', '--json'], data))).toMatchObject({ completed: 4, pending: 0, processing: 0 });
    expect(await page.locator('[data-testid=power-override]').count()).toBe(0);

    laptopOnAc(sys, 50);
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('2 workers at full speed');
    expect(await page.locator('button:has-text("Run at full speed now")').count()).toBe(0);
  });
});
