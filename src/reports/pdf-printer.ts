import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** No Chromium at the configured path, or it would not start. */
export class ChromiumUnavailableError extends Error {
  constructor(
    readonly executablePath: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ChromiumUnavailableError';
  }
}

/** A page that did not load or print in time; the page was closed, the browser stays up. */
export class PdfPrintTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`printing the report to PDF took longer than ${timeoutMs} ms and was abandoned`);
    this.name = 'PdfPrintTimeoutError';
  }
}

export interface PrintOptions {
  /** The PDF's document title (its metadata); the page's own <title> otherwise. */
  title?: string;
  /** Plain text at the left of every page's footer, e.g. the data's as-of date and the disclosure note. */
  footerLeft?: string;
  landscape?: boolean;
}

export interface PdfPrinterOptions {
  /** Default: env CHROME_PATH, else /usr/bin/chromium. */
  executablePath?: string;
  /** Pages open at once; further prints wait. Default 4. */
  maxConcurrentPages?: number;
  /** One print (load + fonts + PDF) is abandoned after this. Default 30 000 ms. */
  timeoutMs?: number;
}

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * A4 margins. The footer (page numbers) is drawn in the bottom margin, so a template's print CSS
 * should not set `@page { margin }`: Chromium lets it override these, and a zero margin hides the footer.
 */
export const PDF_MARGINS = { top: '14mm', bottom: '16mm', left: '14mm', right: '14mm' } as const;

/** From STACK-NOTES: headless, no sandbox (root in a container), and nothing that phones home. */
export const CHROMIUM_BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const CHROMIUM_ARGS = [
  ...CHROMIUM_BASE_ARGS,
  // glyph positions from the font's own metrics, not hinted to screen pixels: even spacing in the PDF
  '--font-render-hinting=none',
];

const CLOSE_GRACE_MS = 5_000;
const LAUNCH_TIMEOUT_MS = 30_000;

/**
 * HTML → PDF through one Chromium kept alive and reused (puppeteer-core; it never downloads a
 * browser). Launched lazily on the first print and again after a crash; `close()` ends it. A plain
 * class: the Nest provider that owns it calls `close()` on module destroy.
 */
export class PdfPrinter {
  readonly executablePath: string;
  /** Where the path came from, for the error message. */
  private readonly executablePathSource: string;
  private readonly maxConcurrentPages: number;
  private readonly timeoutMs: number;
  private browser: Browser | undefined;
  private launching: Promise<Browser> | undefined;
  private openPages = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly profiles = new WeakMap<Browser, string>();

  constructor(options: PdfPrinterOptions = {}) {
    const fromEnv = process.env.CHROME_PATH || undefined;
    this.executablePath = options.executablePath ?? fromEnv ?? DEFAULT_CHROMIUM_PATH;
    this.executablePathSource =
      options.executablePath !== undefined
        ? 'the configured path'
        : fromEnv !== undefined
          ? 'CHROME_PATH'
          : 'the default path, CHROME_PATH being unset';
    this.maxConcurrentPages = Math.max(1, options.maxConcurrentPages ?? 4);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get launched(): boolean {
    return this.browser?.connected ?? false;
  }

  /** Prints holding a page now (at most maxConcurrentPages). */
  get busyPages(): number {
    return this.openPages;
  }

  /**
   * A full HTML document (inline CSS and SVG; scripts do not run, and nothing but data: URLs is
   * fetched) → PDF bytes: A4, backgrounds printed, `footerLeft` and "n / N" in every page's footer.
   * Concurrent calls share the browser, at most `maxConcurrentPages` pages at once; each page is
   * closed after use, also on error. Throws ChromiumUnavailableError (no browser) or
   * PdfPrintTimeoutError (`timeoutMs` passed; the browser's launch is not counted).
   */
  async print(html: string, options: PrintOptions = {}): Promise<Buffer> {
    await this.acquirePage();
    try {
      const browser = await this.ensureBrowser();
      let page: Page | undefined;
      let abandoned = false;
      const work = (async () => {
        page = await browser.newPage();
        if (abandoned) {
          await closePage(page);
          throw new PdfPrintTimeoutError(this.timeoutMs);
        }
        return this.render(page, html, options);
      })();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new PdfPrintTimeoutError(this.timeoutMs)), this.timeoutMs);
      });
      try {
        return await Promise.race([work, timeout]);
      } finally {
        clearTimeout(timer);
        abandoned = true;
        work.catch(() => undefined); // after a timeout, closing the page rejects the abandoned work
        if (page) await closePage(page);
      }
    } finally {
      this.releasePage();
    }
  }

  /** Closes the browser and waits for its process; prints after this launch a new one. */
  async close(): Promise<void> {
    const browser = this.browser ?? (await this.launching?.catch(() => undefined));
    this.browser = undefined;
    this.launching = undefined;
    if (!browser) return;
    const closed = browser.close().then(
      () => true,
      () => false,
    );
    const inTime = await Promise.race([closed, delay(CLOSE_GRACE_MS).then(() => false)]);
    if (!inTime) killGroup(browser);
    const profile = this.profiles.get(browser);
    if (profile) removeProfile(profile);
  }

  private async render(page: Page, html: string, options: PrintOptions): Promise<Buffer> {
    page.setDefaultTimeout(this.timeoutMs);
    // A report is static HTML: no script runs (a data value that slipped past escaping stays text,
    // and no script can spin the page); evaluate() from here still works.
    await page.setJavaScriptEnabled(false);
    // The document is self-contained; a stray URL (an image, a font, file:///…) must not be fetched.
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.isInterceptResolutionHandled()) return;
      if (request.url().startsWith('data:')) void request.continue();
      else void request.abort('blockedbyclient');
    });
    await page.setContent(html, { waitUntil: 'load', timeout: this.timeoutMs });
    if (options.title !== undefined) {
      await page.evaluate((title: string) => {
        (globalThis as unknown as { document: { title: string } }).document.title = title;
      }, options.title);
    }
    // Noto Sans CJK is large: print only once every face the page uses is loaded.
    await page.evaluate('document.fonts.ready.then(() => true)');
    const pdf = await page.pdf({
      format: 'A4',
      landscape: options.landscape ?? false,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footerTemplate(options.footerLeft ?? ''),
      margin: PDF_MARGINS,
      timeout: this.timeoutMs,
    });
    return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  }

  private ensureBrowser(): Promise<Browser> {
    if (this.browser?.connected) return Promise.resolve(this.browser);
    this.browser = undefined;
    this.launching ??= this.launch().then(
      (browser) => {
        this.browser = browser;
        this.launching = undefined;
        browser.once('disconnected', () => {
          if (this.browser !== browser) return; // closed by close()
          // It crashed or was killed: the next print relaunches. Its zygotes and renderers may
          // outlive it; they share its process group.
          this.browser = undefined;
          killGroup(browser);
        });
        return browser;
      },
      (error: unknown) => {
        this.launching = undefined;
        throw error;
      },
    );
    return this.launching;
  }

  private async launch(): Promise<Browser> {
    const path = this.executablePath;
    const unavailable = `Chromium is unavailable at ${path} (${this.executablePathSource})`;
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new ChromiumUnavailableError(path, `${unavailable}: no executable file there. ${HOW_TO_FIX}`);
    }
    // Our own profile folder, named after this Node process: every Chromium process (crash
    // handlers too, through XDG_CONFIG_HOME) carries it on its command line, so
    // countChromiumProcesses({ launchedHere: true }) finds exactly ours; nothing lands in ~/.config.
    const profile = mkdtempSync(join(tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
    let browser: Browser;
    try {
      browser = await puppeteer.launch({
        executablePath: path,
        headless: true,
        pipe: true, // no DevTools port on localhost
        args: CHROMIUM_ARGS,
        userDataDir: profile,
        env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
        timeout: LAUNCH_TIMEOUT_MS,
      });
    } catch (error) {
      removeProfile(profile);
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new ChromiumUnavailableError(path, `${unavailable}: it did not start (${reason}). ${HOW_TO_FIX}`, {
        cause: error,
      });
    }
    browser.process()?.once('exit', () => removeProfile(profile));
    this.profiles.set(browser, profile);
    return browser;
  }

  private async acquirePage(): Promise<void> {
    if (this.openPages < this.maxConcurrentPages) {
      this.openPages++;
      return;
    }
    // the slot is handed over by releasePage without being freed in between
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private releasePage(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.openPages--;
  }
}

const HOW_TO_FIX =
  'Set CHROME_PATH to a Chromium or Chrome executable, or install one: apt-get install -y chromium fonts-noto-cjk';

/** Chromium's footer template: its own tiny document, so it sets its own font and size. */
function footerTemplate(footerLeft: string): string {
  return `<div style="width:100%;margin:0 ${PDF_MARGINS.left} 0 ${PDF_MARGINS.right};display:flex;justify-content:space-between;gap:8mm;font-family:'Noto Sans CJK JP',sans-serif;font-size:8pt;color:#444;">
<span style="flex:1;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;">${escapeHtml(footerLeft)}</span>
<span style="white-space:nowrap;"><span class="pageNumber"></span> / <span class="totalPages"></span></span>
</div>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function closePage(page: Page): Promise<void> {
  if (page.isClosed()) return;
  // A renderer stuck in a script may never answer: do not let closing hang the caller.
  await Promise.race([page.close().catch(() => undefined), delay(CLOSE_GRACE_MS)]);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** puppeteer starts Chromium as a process-group leader: this ends the browser and every helper. */
function killGroup(browser: Browser): void {
  const pid = browser.process()?.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const PROFILE_PREFIX = 'shirube-chromium-';

function removeProfile(profile: string): void {
  try {
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // a leftover folder in the temp dir is not worth failing a print or a close for
  }
}

/**
 * Running Chromium processes (browser, zygotes, renderers, utilities, crash handlers): those whose
 * program is `executablePath` (or the binary it leads to) or has "chromium" in its path. With
 * `launchedHere`, only those a PdfPrinter of this Node process launched (they carry its profile
 * folder), so a test is not misled by another process's browser. For tests that check that no
 * browser is left behind.
 */
export function countChromiumProcesses(options: { executablePath?: string; launchedHere?: boolean } = {}): number {
  const executablePath = options.executablePath ?? (process.env.CHROME_PATH || DEFAULT_CHROMIUM_PATH);
  const ours = `${PROFILE_PREFIX}${process.pid}-`;
  const programs = new Set([executablePath]);
  try {
    programs.add(realpathSync(executablePath));
  } catch {
    // a missing executable matches nothing more
  }
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited while we looked
    }
    if (options.launchedHere) {
      if (args.some((arg) => arg.includes(ours))) count++;
      continue;
    }
    // a zygote rewrites its title: the whole command line can arrive as one string
    const program = args[0].split(' ')[0];
    if (program && (programs.has(program) || /chromium/i.test(program))) count++;
  }
  return count;
}
