import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChartRenderer } from '../../src/reports/chart-renderer.js';
import {
  ChromiumUnavailableError,
  countChromiumProcesses,
  PdfPrinter,
  PdfPrintTimeoutError,
} from '../../src/reports/pdf-printer.js';

/** Real Chromium (CHROME_PATH or /usr/bin/chromium) and poppler-utils, as in production. */

const ours = () => countChromiumProcesses({ launchedHere: true });

/** Chromium's helpers exit a moment after the browser: wait for the count rather than sample it once. */
async function settledCount(expected: number, timeoutMs = 10_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  let count = ours();
  while (count !== expected && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    count = ours();
  }
  return count;
}

/** The browser process itself (not a zygote, renderer or helper) that this test process launched. */
function browserPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
        return ppid === process.pid && /chromium/.test(args[0]) && !args.some((a) => a.startsWith('--type='));
      } catch {
        return false;
      }
    })
    .map(Number);
}

const chart = {
  title: '学年別出席率',
  data: { name: 'table' },
  mark: 'bar',
  encoding: {
    x: { field: 'grade', type: 'ordinal', title: '学年' },
    y: { field: 'rate', type: 'quantitative', title: '出席率', axis: { format: '.0%' } },
  },
};

function profilePage(svg: string): string {
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>学校別プロフィール</title>
<style>
  body { font-family: 'Noto Sans CJK JP', sans-serif; color: #222; }
  h1 { font-size: 20pt; border-bottom: 2px solid #1f4e79; }
  .figure { break-inside: avoid; }
</style></head>
<body>
  <h1>学校別プロフィール</h1>
  <p>第一小学校\u3000令和6年度\u3000在籍者数 412 人</p>
  <div class="figure">${svg}</div>
</body></html>`;
}

describe('PdfPrinter (real Chromium)', () => {
  const work = mkdtempSync(join(tmpdir(), 'pdf-printer-test-'));
  const printer = new PdfPrinter();
  let before: number;
  let html: string;

  beforeAll(async () => {
    before = ours();
    const svg = await new ChartRenderer().toSvg('grade-attendance', chart, {
      table: [1, 2, 3, 4, 5, 6].map((grade) => ({ grade: `${grade}年`, rate: 0.9 + grade / 100 })),
    });
    html = profilePage(svg);
  });

  afterAll(async () => {
    await printer.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('prints a Japanese page with a chart: the text, the page number and the fonts are in the PDF', async () => {
    expect(printer.launched).toBe(false);

    const pdf = await printer.print(html, {
      title: '学校別プロフィール',
      footerLeft: 'データ時点 2025-03-31・10 未満は秘匿',
    });

    expect(printer.launched).toBe(true);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(work, 'profile.pdf');
    writeFileSync(file, pdf);

    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('学校別プロフィール');
    expect(text).toContain('在籍者数 412 人');
    expect(text).toContain('学年別出席率');
    expect(text).toContain('データ時点 2025-03-31・10 未満は秘匿');
    expect(text).toMatch(/1\s*\/\s*1/);

    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+学校別プロフィール/);
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);

    // Chromium embeds Noto Sans CJK (CFF outlines in a .ttc) as unnamed Type 3 fonts with a
    // ToUnicode map: every font must be embedded and map back to text.
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/\byes\s+\S+\s+yes\s+\d+\s+\d+$/);

    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, join(work, 'page')]);
    const png = readFileSync(join(work, 'page-1.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('escapes the footer text', async () => {
    const pdf = await printer.print('<p>本文</p>', { footerLeft: '<b>秘匿</b> & "注"' });
    const file = join(work, 'footer.pdf');
    writeFileSync(file, pdf);

    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('<b>秘匿</b> & "注"');
  });

  it('numbers every page of a long report and prints landscape when asked', async () => {
    const long = `<html><body style="font-family:'Noto Sans CJK JP'">${'<p style="break-after: page">ページ</p>'.repeat(3)}</body></html>`;
    const file = join(work, 'long.pdf');
    writeFileSync(file, await printer.print(long, { landscape: true }));

    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/1\s*\/\s*3/);
    expect(text).toMatch(/3\s*\/\s*3/);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+841\.\d+ x 595\.\d+ pts/);
  });

  it('runs six prints at once in one browser, at most maxConcurrentPages pages at a time', async () => {
    const limited = new PdfPrinter({ maxConcurrentPages: 2 });
    const others = new Set(browserPids());
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, limited.busyPages);
    }, 5);
    try {
      const pdfs = await Promise.all(
        Array.from({ length: 6 }, (_, i) => limited.print(html.replace('第一小学校', `第${i + 1}校`))),
      );
      const launched = browserPids().filter((pid) => !others.has(pid));

      expect(pdfs).toHaveLength(6);
      for (const pdf of pdfs) expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(peak).toBe(2);
      expect(launched).toHaveLength(1);
      expect(limited.busyPages).toBe(0);
    } finally {
      clearInterval(sampler);
      await limited.close();
    }
  });

  it('abandons a print that takes too long, and the next print works', async () => {
    const hasty = new PdfPrinter({ timeoutMs: 50 });
    try {
      await expect(hasty.print(html)).rejects.toBeInstanceOf(PdfPrintTimeoutError);
      expect(hasty.busyPages).toBe(0);
    } finally {
      await hasty.close();
    }
    const pdf = await printer.print(html);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('relaunches the browser after it crashed', async () => {
    const crashing = new PdfPrinter();
    const others = new Set(browserPids());
    try {
      await crashing.print('<p>一</p>');
      const launched = browserPids().filter((pid) => !others.has(pid));
      expect(launched).toHaveLength(1);

      process.kill(launched[0], 'SIGKILL');
      const until = Date.now() + 10_000;
      while (crashing.launched && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(crashing.launched).toBe(false);
      const pdf = await crashing.print('<p>二</p>');

      expect(crashing.launched).toBe(true);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(browserPids().filter((pid) => !others.has(pid))).toHaveLength(1);
    } finally {
      await crashing.close();
    }
  });

  it('leaves no Chromium process after close()', async () => {
    await printer.print(html);
    expect(ours()).toBeGreaterThan(before);

    await printer.close();

    expect(printer.launched).toBe(false);
    expect(await settledCount(before)).toBe(before);
  });

  it('names the missing executable and the fix, and starts nothing', async () => {
    const missing = new PdfPrinter({ executablePath: '/nonexistent/chromium' });

    const error = await missing.print(html).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChromiumUnavailableError);
    expect((error as Error).message).toContain('/nonexistent/chromium');
    expect((error as Error).message).toContain('CHROME_PATH');
    expect((error as Error).message).toContain('apt-get install');
    expect(missing.launched).toBe(false);
    expect(missing.busyPages).toBe(0);
    expect(await settledCount(before)).toBe(before);
  });

  it('reports an executable that is not a browser as unavailable, and leaves no process', async () => {
    const notABrowser = new PdfPrinter({ executablePath: '/bin/false' });

    await expect(notABrowser.print(html)).rejects.toThrow(ChromiumUnavailableError);
    await expect(notABrowser.print(html)).rejects.toThrow(/\/bin\/false .*did not start/);
    expect(await settledCount(before)).toBe(before);
  });
});
