import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { AuthService } from '../auth/auth.service.js';
import { announceServer } from '../common/store-lock.js';
import type { ShirubeConfig } from '../config/config.js';
import type { Server } from 'node:http';

/**
 * Listens, then tells the embedded stores' lock files where (store-lock.ts), with a token for this
 * machine's command line: `shirube user create` run beside the server goes through it. Returns the URL.
 */
export async function listenAndAnnounce(app: INestApplication, config: ShirubeConfig): Promise<string> {
  await app.listen(config.port, config.host);
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const local = `http://${wildcard ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  announceServer(local, app.get(AuthService).enableLocalCli());
  return wildcard ? `http://localhost:${port}` : local;
}
