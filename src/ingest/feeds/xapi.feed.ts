// TEMPORARY placeholder so the rest of the ingest compiles while the real feed is written (the helper replaces this file).
import type { Feed } from '../ingest.types.js';

export const xapiFeed: Feed = {
  kind: 'xapi',
  stage: () => Promise.reject(new Error('xapi feed not written yet')),
};
