import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IngestBatch, IngestFile, type BatchStatus } from './entities/ingest-batch.entity.js';

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a NUL in a file's name, a header or a cell quoted by a
 * problem would fail the write (and leave the batch running). It is stored as U+FFFD, the character of
 * a byte that cannot be shown.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.split('\u0000').join('\uFFFD') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  return value;
}

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
        ...withoutNul(batch),
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
          files.map((f) => ({ ...withoutNul(f), batchId: batch.id, status: 'pending' as const })),
        );
    });
  }

  /**
   * The batches that already loaded a file with this content, if any. For a school (`scopeSchool`), only
   * a batch that school loaded counts: another school's batch is not named to it (its file is then read,
   * and its rows of another school are errors).
   */
  async loadedBatchOf(sha256s: string[], scopeSchool: string | null = null): Promise<Map<string, string[]>> {
    if (sha256s.length === 0) return new Map();
    const query = this.dataSource
      .getRepository(IngestFile)
      .createQueryBuilder('f')
      .where('f.sha256 IN (:...sha256s)', { sha256s })
      .andWhere(`f.status = 'loaded'`)
      .orderBy('f.batch_id', 'ASC');
    if (scopeSchool !== null)
      query
        .innerJoin(IngestBatch, 'b', 'b.id = f.batch_id')
        .andWhere(`b.options ->> 'scopeSchool' = :scopeSchool`, { scopeSchool });
    const batches = new Map<string, string[]>();
    for (const row of await query.getMany()) batches.set(row.sha256, [...(batches.get(row.sha256) ?? []), row.batchId]);
    return batches;
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
          report: withoutNul(result.report),
        },
      );
      for (const [name, status] of fileStatuses)
        await manager.update(IngestFile, { batchId: id, name: withoutNul(name) }, { status });
    });
  }

  findBatch(id: string): Promise<IngestBatch | null> {
    return this.dataSource.getRepository(IngestBatch).findOneBy({ id });
  }

  /** The latest batches, newest first (the board's data page). */
  listBatches(limit: number): Promise<IngestBatch[]> {
    return this.dataSource.getRepository(IngestBatch).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  runningBatches(): Promise<IngestBatch[]> {
    return this.dataSource.getRepository(IngestBatch).findBy({ status: 'running' });
  }
}
