import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { exitCodeOf, EXIT } from '../cli/exit-codes.js';
import { errorText } from '../web/error-messages.js';
import { ERROR_CODES, ERROR_DECLARATIONS, ERROR_DOMAINS, isErrorCode } from './error-codes.js';
import { frameworkCode, statusOf } from './error.filter.js';
import { projectRoot } from './project-root.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('the error codes', () => {
  it('are declared once each, in UPPER_SNAKE_CASE, with a status and a meaning', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const d of ERROR_DECLARATIONS) {
      expect(d.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(d.status).toBeGreaterThanOrEqual(400);
      expect(d.status).toBeLessThan(600);
      expect(d.meaning.length).toBeGreaterThan(10);
    }
  });

  it('are answered with the status their domain declares', () => {
    for (const list of Object.values(ERROR_DOMAINS))
      for (const d of list)
        expect({ code: d.code, status: statusOf(d.code) }).toEqual({ code: d.code, status: d.status });
  });

  it('each have an exit code for the command line and words for the pages', () => {
    for (const code of ERROR_CODES) {
      expect(Object.values(EXIT)).toContain(exitCodeOf(code));
      expect(errorText(code, 'ja')).toMatch(/[ぁ-んァ-ン一-龯]/);
      expect(errorText(code, 'en').length).toBeGreaterThan(5);
    }
    expect(exitCodeOf('INGEST_BATCH_REJECTED')).toBe(EXIT.rejected);
    expect(exitCodeOf('STORE_UNAVAILABLE')).toBe(EXIT.storeBusy);
    expect(exitCodeOf('SURVEY_RESPONSE_STALE')).toBe(EXIT.failed);
  });

  it('give the framework’s own refusals a declared code', () => {
    expect([400, 401, 403, 404, 413, 429, 500].map(frameworkCode)).toEqual([
      'VALIDATION_FAILED',
      'UNAUTHENTICATED',
      'FORBIDDEN_ROLE',
      'NOT_FOUND',
      'PAYLOAD_TOO_LARGE',
      'RATE_LIMITED',
      'INTERNAL',
    ]);
    expect(frameworkCode(418)).toBe('REQUEST_REFUSED');
    expect(isErrorCode('CONFLICT')).toBe(false);
    expect(isErrorCode('SURVEY_RESPONSE_SUBMITTED')).toBe(true);
  });

  it('are listed in the README with their status and meaning', () => {
    const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
    for (const d of ERROR_DECLARATIONS) expect(readme).toContain(`| \`${d.code}\` | ${d.status} | ${d.meaning} |`);
  });

  it('are made only by their domain’s <domain>.errors.ts (the CLI rebuilds the server’s)', () => {
    const src = join(projectRoot(), 'src');
    const makers = sourceFiles(src)
      .filter((file) => readFileSync(file, 'utf8').includes('new DomainError('))
      .map((file) => relative(src, file))
      .filter((file) => !file.endsWith('.errors.ts'));
    expect(makers).toEqual(['cli/server-client.ts']);
  });
});
