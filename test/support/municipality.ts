import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { ensurePseudonymKey } from '../../src/config/pseudonym-key.js';
import { generateMunicipality } from '../../src/demo/demo-generator.js';
import type { DemoOptions } from '../../src/demo/demo-options.js';
import { IngestService } from '../../src/ingest/ingest.service.js';
import type { TestApp } from './test-app.js';

/** Generates a municipality into the test's folder and loads it through the real ingest; returns its truth.json. */
export async function loadMunicipality<T = unknown>(
  t: TestApp,
  options: Omit<DemoOptions, 'outDir'>,
  name = 'municipality',
): Promise<T> {
  const dir = join(t.stores.dir, name);
  await generateMunicipality({ ...options, outDir: dir });
  ensurePseudonymKey(t.stores.config.pseudonymKeyFile!);
  const report = await requestContext.run(CLI_ACTOR, () => t.app.get(IngestService).ingest(dir, CLI_ACTOR));
  if (report.status !== 'loaded')
    throw new Error(`the generated municipality did not load: ${report.status} — ${report.message}`);
  return JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as T;
}
