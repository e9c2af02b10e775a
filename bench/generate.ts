/**
 * Benchmark (not a test): the demo generator at prefecture scale, by default 1,000 schools,
 * 500,000 students, one year of exceptions-only attendance, into a temporary folder that is
 * removed afterwards. Prints wall time, rows and bytes per file, and peak memory.
 *
 *   npm run build && node dist/bench/generate.js [--schools N] [--students N] [--years N]
 *     [--seed N] [--attendance exceptions|full] [--keep]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateMunicipality } from '../src/demo/demo-generator.js';

const { values } = parseArgs({
  options: {
    schools: { type: 'string', default: '1000' },
    students: { type: 'string', default: '500000' },
    years: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    attendance: { type: 'string', default: 'exceptions' },
    keep: { type: 'boolean', default: false },
  },
});

const attendance = values.attendance === 'full' ? 'full' : 'exceptions';
const outDir = await mkdtemp(join(tmpdir(), 'shirube-bench-generate-'));
const options = {
  schools: Number(values.schools),
  students: Number(values.students),
  years: Number(values.years),
  seed: Number(values.seed),
  outDir,
  attendance,
} as const;
console.log(
  `generating ${options.schools} schools, ${options.students} students, ${options.years} year(s), attendance ${attendance} into ${outDir}`,
);

const started = performance.now();
const summary = await generateMunicipality(options);
const seconds = (performance.now() - started) / 1000;

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1).padStart(9);
const width = Math.max(...summary.files.map((f) => f.path.length));
let rows = 0;
let bytes = 0;
for (const f of summary.files) {
  rows += f.rows;
  bytes += f.bytes;
  console.log(`  ${f.path.padEnd(width)}  ${String(f.rows).padStart(11)} rows ${mb(f.bytes)} MB`);
}
console.log(`  ${'total'.padEnd(width)}  ${String(rows).padStart(11)} rows ${mb(bytes)} MB`);
console.log(
  `wall time ${seconds.toFixed(1)} s; ${summary.students} students in the last year; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);

if (values.keep) console.log(`kept ${outDir}`);
else await rm(outDir, { recursive: true, force: true });
