// TEMPORARY placeholder so the rest of the ingest compiles while the real feed is written (the helper replaces this file).
import type { Feed } from '../ingest.types.js';

export const onerosterFeed: Feed = {
  kind: 'oneroster',
  stage: () => Promise.reject(new Error('oneroster feed not written yet')),
};
