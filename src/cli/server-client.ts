/**
 * The command line going through a running server (store-lock.ts): the same API a browser or a script
 * uses, authenticated with the token the server left for this machine's command line. A refusal comes
 * back as the DomainError the service threw, so a command explains it exactly as it would locally.
 */
import { openAsBlob, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DomainError } from '../common/domain-error.js';
import { isErrorCode } from '../common/error-codes.js';
import { allPages, type Page } from '../common/page.js';
import type { StoreHolder } from '../common/store-lock.js';

export class ServerClient {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  static of(holder: StoreHolder): ServerClient {
    return new ServerClient(holder.url!, holder.cliToken!);
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
    });
    return (await response.json()) as T;
  }

  /** Every item of a list the server pages (README, "Lists"), following its pages. */
  all<T>(path: string): Promise<T[]> {
    const join = path.includes('?') ? '&' : '?';
    return allPages((page) => this.json<Page<T>>('GET', `${path}${join}limit=${page.limit}&offset=${page.offset}`));
  }

  async bytes(method: string, path: string, options: { body?: unknown; accept: string }): Promise<Buffer> {
    const response = await this.send(method, path, {
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      headers: {
        accept: options.accept,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
    return Buffer.from(await response.arrayBuffer());
  }

  /** A multipart upload of local files (read from disk as they are sent, never whole in memory). */
  async upload<T>(
    path: string,
    files: { path: string; name: string }[],
    fields: Record<string, string | undefined>,
  ): Promise<T> {
    const form = new FormData();
    for (const file of files) form.append('files', await openAsBlob(file.path), file.name);
    for (const [name, value] of Object.entries(fields)) if (value !== undefined) form.append(name, value);
    const response = await this.send('POST', path, { body: form, headers: {}, acceptRejection: true });
    return (await response.json()) as T;
  }

  private async send(
    method: string,
    path: string,
    options: { body?: string | FormData; headers: Record<string, string>; acceptRejection?: boolean },
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        body: options.body,
        headers: { authorization: `Bearer ${this.token}`, ...options.headers },
      });
    } catch (error) {
      throw new DomainError(
        'STORE_UNAVAILABLE',
        `the Shirube server at ${this.url} holds the stores but does not answer (${(error as Error).message}); is it still running?`,
      );
    }
    if (response.ok) return response;
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string; report?: unknown; [key: string]: unknown };
    } | null;
    // A rejected ingest carries its batch report: the command prints it like a local one.
    if (options.acceptRejection && body?.error?.code === 'INGEST_BATCH_REJECTED' && body.error.report)
      return Response.json(body.error.report);
    const { code, message, ...details } = body?.error ?? {};
    // No error body: not Shirube answering. A code this command does not know: a newer server's refusal.
    throw new DomainError(
      body === null ? 'STORE_UNAVAILABLE' : isErrorCode(code) ? code : 'REQUEST_REFUSED',
      message ?? `the server answered ${response.status}`,
      details,
    );
  }
}

/**
 * The files an upload of `path` sends, each with its name relative to the folder given (subfolders
 * kept: a OneRoster package inside a folder stays a package), or the file itself.
 */
export function filesToUpload(path: string): { path: string; name: string }[] {
  if (!statSync(path).isDirectory()) return [{ path, name: basename(path) }];
  const files: { path: string; name: string }[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.isFile()) files.push({ path: join(dir, entry.name), name: `${prefix}${entry.name}` });
    }
  };
  walk(path, '');
  return files.sort((a, b) => a.name.localeCompare(b.name));
}
