import 'reflect-metadata';
import { Command } from 'commander';
import { explainFailure } from './cli/exit-codes.js';
import { registerBackup } from './cli/backup.command.js';
import { registerCohort } from './cli/cohort.command.js';
import { registerDemo } from './cli/demo.command.js';
import { registerDocs } from './cli/docs.command.js';
import { registerIngest } from './cli/ingest.command.js';
import { registerKey } from './cli/key.command.js';
import { registerMetrics } from './cli/metrics.command.js';
import { registerMigrate } from './cli/migrate.command.js';
import { registerOpenApi } from './cli/openapi.command.js';
import { registerPseudonymize } from './cli/pseudonymize.command.js';
import { registerReport } from './cli/report.command.js';
import { registerServe } from './cli/serve.command.js';
import { registerSurvey } from './cli/survey.command.js';
import { registerUser } from './cli/user.command.js';
import { registerWarehouse } from './cli/warehouse.command.js';
import { registerWatch } from './cli/watch.command.js';

const program = new Command('shirube')
  .description(
    'Shirube (しるべ): school data for boards of education — ingest, surveys answered from data, cohort queries, reports',
  )
  .version('0.1.0')
  .showHelpAfterError();

registerKey(program);
registerMigrate(program);
registerUser(program);
registerIngest(program);
registerPseudonymize(program);
registerWarehouse(program);
registerMetrics(program);
registerSurvey(program);
registerCohort(program);
registerReport(program);
registerDemo(program);
registerServe(program);
registerBackup(program);
registerOpenApi(program);
registerWatch(program);
registerDocs(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const { message, exitCode } = explainFailure(error);
  process.stderr.write(`shirube: ${message}\n`);
  process.exit(exitCode);
}
