import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ApiErrors } from '../common/api-errors.js';
import type { Actor } from '../common/request-context.js';
import { BackupService } from './backup.service.js';
import { BackupView, CreateBackupDto } from './dto/backup.dto.js';

@ApiTags('backups')
@ApiBearerAuth()
@Roles('board_admin')
@Controller('api/backups')
export class BackupsController {
  constructor(private readonly backups: BackupService) {}

  @Post()
  @ApiOperation({
    summary:
      'Back up both stores, consistent with each other, into a new folder on the server (the pseudonym key is not included)',
  })
  @ApiResponse({ status: 201, type: BackupView })
  @ApiErrors('BACKUP_TARGET_NOT_EMPTY', 'BACKUP_FOLDER_CHOSEN')
  create(@Body() body: CreateBackupDto, @CurrentActor() actor: Actor): Promise<BackupView> {
    return this.backups.create(actor, body.out);
  }
}
