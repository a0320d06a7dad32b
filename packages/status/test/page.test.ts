/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll } from '@cluster/test-utils';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { request, startPrimary } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots land here (ignored by git); docs/status-page.png is one of them, copied by hand. */
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
  killAll();
});

async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
  // CI installs Debian's chromium (.ci/run): its absence is a failure, not a skip.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (see docs/testing.md)`);
  browser ??= await chromium.launch({
    executablePath: CHROMIUM,
    // As root (CI, containers) Chromium's sandbox cannot start.
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  const page = await browser.newPage({ viewport });
  await page.goto(url);
  return page;
}

const rows = (page: Page) =>
  page.$$eval('#slots tbody tr', (trs) =>
    trs.map((tr) => ({
      slot: Number(tr.getAttribute('data-slot')),
      pid: Number(tr.getAttribute('data-pid')),
      state: tr.getAttribute('data-state'),
      restarts: Number(tr.getAttribute('data-restarts')),
    })),
  );

describe('the live page in headless Chromium', () => {
  it('shows every worker, moves its connections chart under load, and shows a killed worker restarted', async () => {
    const primary = await startPrimary({ supervise: { restart: { initialDelay: 100 } } });
    const page = await open(primary.url, { width: 1100, height: 900 });
    await page.waitForFunction(
      (count) => document.querySelectorAll('#slots tbody tr[data-state="ready"]').length === count,
      2,
      {
        timeout: 15_000,
      },
    );
    expect((await rows(page)).map((row) => row.pid).sort()).toEqual([...primary.pids].sort());

    // Load: new connections, each one request; the connections chart must rise above zero.
    const before = Number(await page.getAttribute('svg[data-chart="connections"]', 'data-max'));
    expect(before).toBe(0);
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline) {
      await Promise.all(Array.from({ length: 8 }, () => request(`http://127.0.0.1:${primary.appPort}/`)));
    }
    await page.waitForFunction(
      () => Number(document.querySelector('svg[data-chart="connections"]')?.getAttribute('data-max')) > 0,
      null,
      {
        timeout: 10_000,
      },
    );
    expect(await page.$$eval('svg[data-chart="connections"] polyline', (lines) => lines.length)).toBe(2);
    expect(Number(await page.getAttribute('svg[data-chart="cpu"]', 'data-max'))).toBeGreaterThan(0);

    // Kill slot 0's worker: its row gets a new pid and one restart, and the charts a restart mark.
    const victim = (await rows(page)).find((row) => row.slot === 0)?.pid as number;
    process.kill(victim, 'SIGKILL');
    await page.waitForFunction(
      (old) => {
        const row = document.querySelector('#slots tbody tr[data-slot="0"]');
        return (
          row?.getAttribute('data-restarts') === '1' &&
          row.getAttribute('data-state') === 'ready' &&
          row.getAttribute('data-pid') !== String(old)
        );
      },
      victim,
      { timeout: 20_000 },
    );
    expect(await page.$$eval('svg[data-chart="cpu"] .marks line.restart', (lines) => lines.length)).toBeGreaterThan(0);
    expect(await page.textContent('#summary')).toContain('2/2 workers ready');
    // A few more samples after the restart, so that the screenshot shows the lines go on.
    for (let i = 0; i < 10; i++)
      await Promise.all(Array.from({ length: 8 }, () => request(`http://127.0.0.1:${primary.appPort}/`)));
    const points = Number(await page.getAttribute('svg[data-chart="cpu"]', 'data-points'));
    await page.waitForFunction(
      (n) => Number(document.querySelector('svg[data-chart="cpu"]')?.getAttribute('data-points')) >= n + 5,
      points,
      {
        timeout: 10_000,
      },
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = path.join(SCREENSHOTS, 'status-page.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
  }, 90_000);

  it('stays readable on a phone: nothing wider than the screen, every chart drawn', async () => {
    const primary = await startPrimary();
    const page = await open(primary.url, { width: 390, height: 844 });
    await page.waitForFunction(
      () => document.querySelectorAll('#slots tbody tr[data-state="ready"]').length === 2,
      null,
      {
        timeout: 15_000,
      },
    );
    await page.waitForFunction(
      () => Number(document.querySelector('svg[data-chart="memory"]')?.getAttribute('data-points')) > 2,
      null,
      {
        timeout: 10_000,
      },
    );
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      screen: window.innerWidth,
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    for (const name of ['connections', 'cpu', 'memory', 'loop']) {
      const box = await page.locator(`svg[data-chart="${name}"]`).boundingBox();
      expect(box?.width, name).toBeGreaterThan(300);
    }
    // Served whole by the package: no request leaves for another host.
    const html = (await request(primary.url)).body;
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'status-page-phone.png'), fullPage: true });
  }, 60_000);
});
