import type { Command } from 'commander';
import type { ShirubeConfig } from '../config/config.js';
import { printResult } from './output.js';

export async function serve(config: ShirubeConfig): Promise<string> {
  const [{ createApp }, { describeThisProcess }, { listenAndAnnounce }] = [
    await import('../app/create-app.js'),
    await import('../common/store-lock.js'),
    await import('./listen.js'),
  ];
  describeThisProcess('server', 'shirube serve');
  const app = await createApp(config);
  return listenAndAnnounce(app, config);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start the HTTP server (API, OpenAPI docs, web pages); applies pending migrations first')
    .option('--port <port>', 'port (default: PORT or 3000)')
    .option('--json', 'print JSON')
    .action(async (options: { port?: string; json?: boolean }) => {
      const { loadConfig } = await import('../config/config.js');
      const config = loadConfig({ ...process.env, ...(options.port ? { PORT: options.port } : {}) });
      const url = await serve(config);
      printResult(
        !!options.json,
        { url, docs: `${url}/api/docs`, health: `${url}/api/health` },
        () => `Shirube is listening on ${url} (API docs: ${url}/api/docs)`,
      );
    });
}
