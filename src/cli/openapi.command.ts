import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';

export function registerOpenApi(program: Command): void {
  program
    .command('openapi')
    .description('Write the OpenAPI document (sorted) — commit it as openapi.json; CI fails when it drifts')
    .option('--out <file>', 'file to write (default: standard output)')
    .action(async (options: { out?: string }) => {
      const { createApp } = await import('../app/create-app.js');
      const { buildOpenApiDocument, openApiText } = await import('../app/openapi.js');
      const { loadConfig } = await import('../config/config.js');
      // Throwaway in-memory stores: the document depends on the code only.
      const config = { ...loadConfig(), databaseUrl: undefined, pgliteDir: 'memory://', duckdbPath: ':memory:' };
      const app = await createApp(config, { logLevel: 'error' });
      try {
        const text = openApiText(buildOpenApiDocument(app));
        if (options.out) writeFileSync(options.out, text);
        else process.stdout.write(text);
      } finally {
        await app.close();
      }
    });
}
