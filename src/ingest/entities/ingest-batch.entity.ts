import { Column, Entity, PrimaryColumn } from 'typeorm';

export const BATCH_STATUSES = ['running', 'loaded', 'partial', 'rejected', 'noop', 'failed', 'interrupted'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** One ingest: its files, who ran it, what it read, loaded and rejected, and its report. */
@Entity({ name: 'ingest_batches' })
export class IngestBatch {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true }) actorUserId: string | null;
  @Column({ name: 'actor_name', type: 'text' }) actorName: string;
  @Column('text') status: BatchStatus;
  @Column('jsonb') options: object;
  @Column({ name: 'rows_read', type: 'bigint' }) rowsRead: string;
  @Column({ name: 'rows_loaded', type: 'bigint' }) rowsLoaded: string;
  @Column({ name: 'rows_rejected', type: 'bigint' }) rowsRejected: string;
  @Column({ type: 'bigint' }) errors: string;
  @Column({ type: 'bigint' }) warnings: string;
  @Column({ type: 'jsonb', nullable: true }) report: object | null;
}

@Entity({ name: 'ingest_files' })
export class IngestFile {
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' }) batchId: string;
  @PrimaryColumn('text') name: string;
  @Column('text') feed: string;
  @Column('text') sha256: string;
  @Column({ type: 'bigint' }) bytes: string;
  @Column('text') status: 'pending' | 'loaded' | 'skipped' | 'rejected';
}
