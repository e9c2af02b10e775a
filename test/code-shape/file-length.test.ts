/**
 * Files a newcomer can read (issue 14): no source file in src/ is longer than 400 lines. A file that grows
 * past it is split by what it does (as watch.service.ts into indicator settings, the refresher and homerooms),
 * not by cutting it in half. Specs and data-only catalogues count too.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../../src/common/project-root.js';

const ROOT = projectRoot();
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('file length', () => {
  it(`keeps every file in src/ at ${MAX_LINES} lines or fewer`, () => {
    const files = sourceFiles(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(100);
    const long = files
      .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(long).toEqual([]);
  });
});
