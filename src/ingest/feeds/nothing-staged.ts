import type { StagedFeed } from '../feed.js';
import type { FeedInput } from '../ingest.types.js';

/** What a feed stages when its file cannot be read at all (a required column missing): nothing to load. */
export const nothingStaged = (input: FeedInput): StagedFeed => ({
  input,
  rowsRead: 0,
  load: () => Promise.resolve(0),
  rowsRejected: () => Promise.resolve(0),
});
