import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { BackupService } from './backup.service.js';
import { BackupsController } from './backups.controller.js';

@Module({ imports: [AuditModule], controllers: [BackupsController], providers: [BackupService] })
export class BackupModule {}
