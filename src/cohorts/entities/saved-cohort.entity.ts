import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CohortDefinition } from '../cohort-definition.js';

/** One version of a saved cohort definition (immutable once written). */
@Entity({ name: 'cohort_definitions' })
export class SavedCohort {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('integer') version: number;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column('jsonb') definition: CohortDefinition;
  @Column({ name: 'definition_hash', type: 'text' }) definitionHash: string;
  @Column({ name: 'created_by', type: 'text' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
