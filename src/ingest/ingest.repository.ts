import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { IngestBatch, IngestFile, type BatchStatus } from './entities/ingest-batch.entity.js';

/** The control-plane record of ingest batches. */
@Injectable()
export class IngestRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async createBatch(
    batch: Pick<IngestBatch, 'id' | 'actorUserId' | 'actorName' | 'options'>,
    files: Omit<IngestFile, 'batchId' | 'status'>[],
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(IngestBatch, {
        ...batch,
        createdAt: new Date(),
        status: 'running',
        rowsRead: '0',
        rowsLoaded: '0',
        rowsRejected: '0',
        errors: '0',
        warnings: '0',
        report: null,
      });
      if (files.length > 0)
        await manager.insert(
          IngestFile,
          files.map((f) => ({ ...f, batchId: batch.id, status: 'pending' as const })),
        );
    });
  }

  /** The batch that already loaded a file with this content, if any. */
  async loadedBatchOf(sha256s: string[]): Promise<Map<string, string>> {
    if (sha256s.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(IngestFile)
      .find({ where: { sha256: In(sha256s), status: 'loaded' }, order: { batchId: 'ASC' } });
    return new Map(rows.map((row) => [row.sha256, row.batchId]));
  }

  async finishBatch(
    id: string,
    result: {
      status: BatchStatus;
      rowsRead: number;
      rowsLoaded: number;
      rowsRejected: number;
      errors: number;
      warnings: number;
      report: object;
    },
    fileStatuses: Map<string, IngestFile['status']>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        IngestBatch,
        { id },
        {
          status: result.status,
          finishedAt: new Date(),
          rowsRead: String(result.rowsRead),
          rowsLoaded: String(result.rowsLoaded),
          rowsRejected: String(result.rowsRejected),
          errors: String(result.errors),
          warnings: String(result.warnings),
          report: result.report,
        },
      );
      for (const [name, status] of fileStatuses) await manager.update(IngestFile, { batchId: id, name }, { status });
    });
  }

  findBatch(id: string): Promise<IngestBatch | null> {
    return this.dataSource.getRepository(IngestBatch).findOneBy({ id });
  }

  listBatches(limit: number): Promise<IngestBatch[]> {
    return this.dataSource.getRepository(IngestBatch).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  runningBatches(): Promise<IngestBatch[]> {
    return this.dataSource.getRepository(IngestBatch).findBy({ status: 'running' });
  }
}
