import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CLI_ACTOR, requestContext, type Actor } from '../common/request-context.js';
import { RemindersService } from './reminders.service.js';

/** How often the automatic reminders are looked for: a deadline is a day, so a quarter of an hour is prompt enough. */
const CHECK_EVERY_MS = 15 * 60_000;

/** Who the audit log names for an automatic reminder: the server itself, not a person. */
const SCHEDULER_ACTOR: Actor = { ...CLI_ACTOR, name: 'reminder scheduler' };

/** Sends the automatic reminders on its own: shortly after start, then every quarter of an hour. */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReminderScheduler');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | null = null;

  constructor(private readonly reminders: RemindersService) {}

  onApplicationBootstrap(): void {
    if (!this.reminders.mailConfigured) return;
    this.timer = setInterval(() => void this.tick(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One round at `now` (one at a time); what it sent, by survey. */
  async tick(now = new Date()): Promise<Awaited<ReturnType<RemindersService['remindAutomatically']>>> {
    while (this.running) await this.running.catch(() => undefined);
    const run = requestContext.run(SCHEDULER_ACTOR, () => this.reminders.remindAutomatically(now));
    this.running = run;
    try {
      const rounds = await run;
      for (const round of rounds)
        this.logger.log(`reminders (${round.kind}) of survey ${round.surveyId}: ${round.sent.length} school(s) mailed`);
      return rounds;
    } catch (error) {
      this.logger.error(`automatic reminders failed: ${(error as Error).message}`);
      return [];
    } finally {
      this.running = null;
    }
  }
}
