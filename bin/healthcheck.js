#!/usr/bin/env node
// The container's HEALTHCHECK (and the production smoke test's): exits 0 when GET /api/health on this
// machine answers "ok" within 5 seconds, else 1. Plain Node, no dependencies: the runtime image has no curl.
const port = process.env.PORT || '3000';
const url = process.argv[2] || `http://127.0.0.1:${port}/api/health`;
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = await response.json().catch(() => ({}));
  if (response.ok && body.status === 'ok') process.exit(0);
  console.error(`health: ${response.status} ${body.status ?? ''}`);
} catch (error) {
  console.error(`health: ${error.message}`);
}
process.exit(1);
