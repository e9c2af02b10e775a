import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { BackupManifest } from '../backup-manifest.js';

export class CreateBackupDto {
  @ApiPropertyOptional({
    description:
      'An absolute folder on the server to write the backup to (the command line of the server’s own machine only); ' +
      'otherwise a new folder in SHIRUBE_BACKUP_DIR',
    example: '/var/backups/shirube/2026-12-03',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  out?: string;
}

export class BackupTableView {
  @ApiProperty() table: string;
  @ApiProperty() rows: number;
}

export class BackupView {
  @ApiProperty({
    description: 'The folder on the server that holds the backup (manifest.json, control-plane/, warehouse.duckdb)',
  })
  path: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() shirubeVersion: string;
  @ApiProperty({ type: [BackupTableView] }) controlPlane: BackupTableView[];
  @ApiProperty({ type: [BackupTableView] }) warehouse: BackupTableView[];
  @ApiProperty({ description: 'Whether both stores agree on the ingest batches they hold' }) batchesAgree: boolean;
  @ApiProperty({ type: [String], description: 'Batches still loading when the backup was taken' })
  runningBatches: string[];
  @ApiProperty({ description: 'Always false: the pseudonym key is backed up separately' }) pseudonymKeyIncluded: false;
  @ApiPropertyOptional({ type: String, nullable: true }) pseudonymKeyFingerprint: string | null;
  @ApiProperty() note: string;

  static of(path: string, manifest: BackupManifest): BackupView {
    return {
      path,
      createdAt: manifest.createdAt,
      shirubeVersion: manifest.shirubeVersion,
      controlPlane: manifest.controlPlane.tables.map(({ table, rows }) => ({ table, rows })),
      warehouse: manifest.warehouse.tables,
      batchesAgree: manifest.consistency.agree,
      runningBatches: manifest.consistency.running,
      pseudonymKeyIncluded: false,
      pseudonymKeyFingerprint: manifest.pseudonymKey.fingerprint,
      note: manifest.pseudonymKey.note,
    };
  }
}
