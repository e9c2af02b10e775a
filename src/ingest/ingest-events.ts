import { Injectable, Logger } from '@nestjs/common';

export type BatchLoadedListener = (batchId: string) => Promise<unknown>;

/** Tells other domains that a batch changed the warehouse (surveys refresh their open, pre-filled answers). */
@Injectable()
export class IngestEvents {
  private readonly logger = new Logger('IngestEvents');
  private readonly listeners: BatchLoadedListener[] = [];

  onBatchLoaded(listener: BatchLoadedListener): void {
    this.listeners.push(listener);
  }

  /** Listeners run after the batch is committed; a failing listener is logged, never undoes the load. */
  async batchLoaded(batchId: string): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(batchId);
      } catch (error) {
        this.logger.error(`after batch ${batchId}: ${(error as Error).message}`);
      }
    }
  }
}
