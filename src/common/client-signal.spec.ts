import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'express';
import { clientGoneSignal } from './client-signal.js';

/** A real HTTP server whose handler takes the signal and answers after `answerAfterMs` (or never). */
async function serve(
  answerAfterMs: number | null,
): Promise<{ server: Server; port: number; signal: Promise<AbortSignal> }> {
  let handed: (signal: AbortSignal) => void = () => undefined;
  const signal = new Promise<AbortSignal>((resolve) => (handed = resolve));
  const server = createServer((_req, res) => {
    handed(clientGoneSignal(res as unknown as Response));
    if (answerAfterMs !== null) setTimeout(() => res.end('done'), answerAfterMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, signal };
}

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) =>
    signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
  );

describe('clientGoneSignal', () => {
  it('aborts when the client disconnects before the answer', async () => {
    const { server, port, signal } = await serve(null);
    try {
      const req = request({ port, host: '127.0.0.1', path: '/' });
      req.on('error', () => undefined);
      req.end();
      const s = await signal;
      expect(s.aborted).toBe(false);
      req.destroy();
      await aborted(s);
      expect(s.aborted).toBe(true);
    } finally {
      server.close();
    }
  });

  it('does not abort after a complete answer', async () => {
    const { server, port, signal } = await serve(0);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        request({ port, host: '127.0.0.1', path: '/' }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      expect(body).toBe('done');
      const s = await signal;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(s.aborted).toBe(false);
    } finally {
      server.close();
    }
  });
});
