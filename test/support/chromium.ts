import type { AddressInfo } from 'node:net';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CHROMIUM_BASE_ARGS } from '../../src/reports/pdf-printer.js';
import type { TestApp } from './test-app.js';

/** The machine's Chromium (CHROME_PATH, else /usr/bin/chromium); puppeteer-core never downloads one. */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_BASE_ARGS,
  });
}

/** Makes the test app listen on a free port of 127.0.0.1 and launches Chromium for it; returns the base URL. */
export async function serveToChromium(t: TestApp): Promise<{ base: string; browser: Browser }> {
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  return { base, browser: await launchChromium() };
}
