import type { FeedKind } from '../ingest.types.js';
import type { Feed } from '../feed.js';
import { assessmentsFeed } from './assessments.feed.js';
import { attendanceFeed } from './attendance.feed.js';
import { calendarFeed } from './calendar.feed.js';
import { guidanceFeed } from './guidance.feed.js';
import { onerosterFeed } from './oneroster.feed.js';
import { programmesFeed } from './programmes.feed.js';
import { xapiFeed } from './xapi.feed.js';

export const FEEDS: Record<FeedKind, Feed> = {
  oneroster: onerosterFeed,
  programmes: programmesFeed,
  calendar: calendarFeed,
  attendance: attendanceFeed,
  assessments: assessmentsFeed,
  guidance: guidanceFeed,
  xapi: xapiFeed,
};
