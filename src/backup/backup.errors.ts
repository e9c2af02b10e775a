import { DomainError, type ErrorDeclaration } from '../common/domain-error.js';

export const BACKUP_ERRORS = [
  {
    code: 'BACKUP_TARGET_NOT_EMPTY',
    status: 409,
    meaning: 'A backup is written into a new or empty folder only, and restored into empty stores only (unless forced)',
  },
  {
    code: 'BACKUP_RESTORE_MISMATCH',
    status: 422,
    meaning:
      'The restored stores do not hold what the backup does, or do not agree with each other: nothing is served from them',
  },
  {
    code: 'BACKUP_UNUSABLE',
    status: 422,
    meaning:
      'The folder is not a whole Shirube backup this version can restore: no manifest, a damaged or missing file, or written by a newer version',
  },
  {
    code: 'BACKUP_FOLDER_CHOSEN',
    status: 403,
    meaning:
      'Only the command line of the server’s machine chooses where a backup goes; the board’s go to SHIRUBE_BACKUP_DIR',
  },
] as const satisfies readonly ErrorDeclaration[];

export const backupTargetNotEmpty = (message: string) => new DomainError('BACKUP_TARGET_NOT_EMPTY', message);
export const restoreMismatch = (message: string) => new DomainError('BACKUP_RESTORE_MISMATCH', message);
export const backupUnusable = (message: string) => new DomainError('BACKUP_UNUSABLE', message);
export const backupFolderChosen = () =>
  new DomainError(
    'BACKUP_FOLDER_CHOSEN',
    'only the command line of the server’s machine may choose where a backup goes',
  );
/** A command asked to back up stores that were never made: nothing to back up. */
export const nothingToBackUp = (message: string) => new DomainError('NOT_FOUND', message);
