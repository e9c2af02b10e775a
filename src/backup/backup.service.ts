import { backupFolderChosen } from './backup.errors.js';
import { invalidField } from '../common/common.errors.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { isAbsolute, join } from 'node:path';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../common/request-context.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { BackupView } from './dto/backup.dto.js';
import { takeBackup } from './take-backup.js';

const UNWRITABLE: Record<string, string> = {
  EACCES: 'permission denied',
  EROFS: 'a read-only file system',
  ENOTDIR: 'a file stands where a folder should be',
  ENOSPC: 'no space left',
};

/** Backups of both stores taken by the running server, which holds them (README, "Backups"). */
@Injectable()
export class BackupService {
  private readonly logger = new Logger('Backup');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
    private readonly audit: AuditService,
  ) {}

  /**
   * A backup into `out` (the command line only: it names a folder of the machine it runs on) or into a
   * new folder of SHIRUBE_BACKUP_DIR named by the time (a board administrator over the API).
   */
  async create(actor: Actor, out?: string): Promise<BackupView> {
    if (out !== undefined && actor.role !== 'cli') throw backupFolderChosen();
    if (out !== undefined && !isAbsolute(out))
      throw invalidField('out', 'must be an absolute path', 'out must be an absolute path');
    const path = out ?? join(this.config.backupDir, new Date().toISOString().replace(/[:.]/g, '-'));
    const engine = this.config.databaseUrl ? 'postgresql' : 'pglite';
    const manifest = await takeBackup(this.dataSource, this.warehouse, path, engine).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code && UNWRITABLE[code])
        throw invalidField('out', `cannot write the backup to ${path}: ${UNWRITABLE[code]}`);
      throw error;
    });
    const view = BackupView.of(path, manifest);
    await this.audit.record({
      action: 'backup.create',
      targetType: 'backup',
      targetId: manifest.createdAt,
      after: {
        path,
        controlPlaneRows: view.controlPlane.reduce((sum, t) => sum + t.rows, 0),
        warehouseRows: view.warehouse.reduce((sum, t) => sum + t.rows, 0),
        batchesAgree: view.batchesAgree,
      },
    });
    this.logger.log(`backup written to ${path} (batches agree: ${view.batchesAgree})`);
    return view;
  }
}
