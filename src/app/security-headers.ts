import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { ShirubeConfig } from '../config/config.js';

type Directives = Record<string, string[]>;

/**
 * The pages' Content-Security-Policy: everything from Shirube itself, no inline script or style (the pages
 * link public/shirube.css and run no script), no plugins, no <base>, forms posted only to Shirube, and no
 * page of another site may frame one (clickjacking).
 */
export const PAGE_CSP: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Swagger UI (/api/docs) ships inline <style> blocks and style attributes and draws icons as data: images; its scripts stay 'self'. */
export const DOCS_PATH = '/api/docs';
export const DOCS_CSP: Directives = {
  ...PAGE_CSP,
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
};

function headers(directives: Directives, https: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      // Behind TLS, a stray http:// link is fetched over https; over plain http (a local demo) it would break the page.
      directives: https ? { ...directives, 'upgrade-insecure-requests': [] } : directives,
    },
    frameguard: { action: 'deny' },
    // Not helmet's no-referrer: with it a browser sends `Origin: null` on a form's POST, which the same-origin
    // rule (auth/same-origin.ts) must refuse. same-origin keeps the page's URL (ids in it) from other sites.
    referrerPolicy: { policy: 'same-origin' },
  });
}

/**
 * helmet's headers on every response, with the pages' strict CSP everywhere but under /api/docs, and
 * `Cache-Control: no-store` (but on the static assets, and unless a handler says otherwise): a page or an answer of the API may hold a
 * school's figures, and the browser of a shared staff-room PC must not keep them after sign-out.
 */
export function securityHeaders(config: Pick<ShirubeConfig, 'publicOrigin'>, assetsPrefix: string) {
  const https = config.publicOrigin?.startsWith('https:') ?? false;
  const pages = headers(PAGE_CSP, https);
  const docs = headers(DOCS_CSP, https);
  return (request: Request, response: Response, next: NextFunction): void => {
    const path = request.path;
    if (!path.startsWith(assetsPrefix)) response.setHeader('Cache-Control', 'no-store');
    (path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`) ? docs : pages)(request, response, next);
  };
}
