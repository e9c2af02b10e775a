import { ControlPlaneInit1764201600000 } from './1764201600000-control-plane-init.js';
import { IngestBatches1764288000000 } from './1764288000000-ingest-batches.js';
import { Surveys1764374400000 } from './1764374400000-surveys.js';
import { CohortDefinitions1764460800000 } from './1764460800000-cohort-definitions.js';
import { ReportRuns1764547200000 } from './1764547200000-report-runs.js';
import { WebSessionToken1764633600000 } from './1764633600000-web-session-token.js';
import { ReportRunsExpired1764720000000 } from './1764720000000-report-runs-expired.js';
import { Watch1764806417000 } from './1764806417000-watch.js';
import { PeopleSignIn1764810000000 } from './1764810000000-people-sign-in.js';
import { SurveyReminders1764810600000 } from './1764810600000-survey-reminders.js';
import { ProvenanceBatchSets1764892800000 } from './1764892800000-provenance-batch-sets.js';

/** Every control-plane migration, in order (listed, not globbed, so the same list runs from src/ under Jest and from dist/). */
export const controlPlaneMigrations = [
  ControlPlaneInit1764201600000,
  IngestBatches1764288000000,
  Surveys1764374400000,
  CohortDefinitions1764460800000,
  ReportRuns1764547200000,
  WebSessionToken1764633600000,
  ReportRunsExpired1764720000000,
  Watch1764806417000,
  PeopleSignIn1764810000000,
  SurveyReminders1764810600000,
  ProvenanceBatchSets1764892800000,
];
