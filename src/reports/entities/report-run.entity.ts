import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An "every school" report batch. */
@Entity({ name: 'report_runs' })
export class ReportRun {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'template_id', type: 'text' }) templateId: string;
  @Column('jsonb') params: Record<string, unknown>;
  @Column('text') locale: 'ja' | 'en';
  /** 'expired': done, and its zip removed after SHIRUBE_REPORTS_RETENTION_DAYS. */
  @Column('text') status: 'running' | 'done' | 'failed' | 'expired';
  @Column('integer') total: number;
  @Column('integer') rendered: number;
  @Column('jsonb') failures: { school: string; message: string }[];
  @Column({ name: 'file_name', type: 'text', nullable: true }) fileName: string | null;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
}
