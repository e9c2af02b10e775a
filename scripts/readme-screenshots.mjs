#!/usr/bin/env node
/**
 * The README's screenshots, made from the demo: starts `shirube demo run` on fresh stores in a temporary
 * folder, signs in as the demo school and as the board in the machine's Chromium, and writes
 *   docs/screenshots/school-response.png   the school's response page (one visit: figures and their sources)
 *   docs/screenshots/school-round.png      its end: the typed question, データのとおり確認 and 提出
 *   docs/screenshots/board-status.png      the board's status page of the demo survey
 *
 *   npm run build && node scripts/readme-screenshots.mjs [--demo-data DIR] [--port 3917] [--out docs/screenshots]
 *
 * --demo-data reuses generated demo files (the first run generates them: about a minute).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    'demo-data': { type: 'string' },
    port: { type: 'string', default: '3917' },
    out: { type: 'string', default: join(root, 'docs', 'screenshots') },
  },
});
const work = mkdtempSync(join(tmpdir(), 'shirube-screenshots-'));
const demoData = resolve(args['demo-data'] ?? join(work, 'demo-data'));
const out = resolve(args.out);
mkdirSync(out, { recursive: true });

/** The demo server, on its own stores; resolves with what `demo run --json` prints once it listens. */
function startDemo() {
  const child = spawn(process.execPath, [join(root, 'bin', 'shirube.js'), 'demo', 'run', '--out', demoData, '--json'], {
    cwd: work,
    env: {
      ...process.env,
      PORT: args.port,
      SHIRUBE_PGLITE_DIR: join(work, 'pg'),
      DUCKDB_PATH: join(work, 'warehouse.duckdb'),
      PSEUDONYM_KEY_FILE: join(work, 'pseudonym.key'),
      SHIRUBE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    let printed = '';
    child.stdout.on('data', (chunk) => {
      printed += chunk;
      try {
        resolveStart({ child, demo: JSON.parse(printed) });
      } catch {
        // not the whole JSON yet
      }
    });
    child.on('exit', (code) => reject(new Error(`shirube demo run exited with ${code}`)));
  });
}

const { child, demo } = await startDemo();
const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--font-render-hinting=none'],
});
try {
  const shoot = async (role, path, file, prepare) => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1200, height: 1500 });
    await page.goto(demo.login);
    await page.type('#token', demo.users.find((u) => u.role === role).token);
    await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);
    await page.goto(new URL(path, demo.url).href);
    if (prepare) await prepare(page);
    await page.screenshot({ path: join(out, file) });
    process.stderr.write(`wrote ${join(out, file)}\n`);
    await context.close();
  };
  await shoot('school', '/responses', 'school-response.png', async (page) => {
    await Promise.all([page.waitForNavigation(), page.click('main table a[href^="/responses/"]')]);
    const end = (await page.$$('section.question')).at(-1);
    const round = await page.$('#round');
    const top = (await end.boundingBox()).y;
    const bottom = (await round.boundingBox()).y + (await round.boundingBox()).height;
    await page.screenshot({
      path: join(out, 'school-round.png'),
      clip: { x: 0, y: top - 10, width: 1200, height: bottom - top + 20 },
      captureBeyondViewport: true,
    });
    process.stderr.write(`wrote ${join(out, 'school-round.png')}\n`);
  });
  await shoot('board_admin', `/surveys/${demo.survey.id}`, 'board-status.png');
} finally {
  await browser.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
}
