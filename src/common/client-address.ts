import type { Request } from 'express';

/**
 * The client's address as Express sees it: behind SHIRUBE_TRUST_PROXY proxies, the one they report. Used
 * in memory only, to count requests and failed sign-ins; never logged or audited.
 */
export function clientAddress(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
