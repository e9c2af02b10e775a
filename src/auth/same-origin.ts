/**
 * The one rule against cross-site request forgery: a request that changes state on the strength of the
 * session cookie (or signs in, so sets one) must come from a page of Shirube's own origin. The browser
 * says where the request comes from in `Origin` (sent with every POST by current browsers) or, failing
 * that, in `Sec-Fetch-Site`; a request with neither is refused, as is one from any other origin (another
 * site, a sibling subdomain, `null`). A request with an Authorization header is not cookie-authenticated:
 * a page of another site cannot add that header without CORS, which Shirube does not allow.
 */
export interface OriginRequest {
  method: string;
  /** The origin the server is reached at: the configured public origin, else scheme and Host of the request. */
  ownOrigin: string;
  header(name: string): string | undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** An origin in one canonical spelling (scheme and host lower case, default port dropped); null if not one. */
export function canonicalOrigin(text: string): string | null {
  try {
    const url = new URL(text);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/** Why the request is refused, or null when it may go on. */
export function crossOriginRefusal(request: OriginRequest): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  if (request.header('authorization')) return null;
  const origin = request.header('origin');
  if (origin !== undefined) {
    return canonicalOrigin(origin) === canonicalOrigin(request.ownOrigin)
      ? null
      : `a request from ${canonicalOrigin(origin) ?? 'an opaque origin'} may not use the session of ${request.ownOrigin}`;
  }
  const site = request.header('sec-fetch-site');
  if (site === 'same-origin' || site === 'none') return null;
  return site
    ? `a request from another site (Sec-Fetch-Site: ${site}) may not use the session`
    : 'a request that changes something with the session cookie must say where it comes from (Origin)';
}
