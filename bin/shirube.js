#!/usr/bin/env node
// Entry point of the `shirube` command: the compiled CLI lives in dist/ (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const entry = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('shirube: not built yet; run `npm run build` first.');
  process.exit(1);
}
await import(entry);
