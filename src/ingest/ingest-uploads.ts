import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface.js';
import multer from 'multer';
import { forbiddenSchool } from '../auth/auth.errors.js';
import { invalidField } from '../common/common.errors.js';
import type { Actor } from '../common/request-context.js';
import type { BatchReportView, IngestUploadDto } from './dto/ingest.dto.js';
import { batchRejected } from './ingest.errors.js';
import { IngestService } from './ingest.service.js';
import { withMessages } from './problems/problem-messages.js';
import type { Locale } from '../config/config.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';
import { replaceControlCharacters } from './control-characters.js';

type UploadRequest = Request & { uploadDir?: string };

/**
 * Browsers and curl send UTF-8 file names, which multer reads as latin1. A name may keep a folder
 * (`oneroster/users.csv`: a folder sent by `shirube ingest` through the server); no part of it can
 * leave the upload's folder (`..`, `.` and empty parts are dropped).
 */
export function uploadedName(originalName: string): string {
  const parts = Buffer.from(originalName, 'latin1')
    .toString('utf8')
    .split(/[/\\]/)
    .map((part) => replaceControlCharacters(part, '_', false))
    .filter((part) => part !== '' && part !== '.' && part !== '..');
  return parts.join('/') || 'upload';
}

/** HTTP uploads: the files of one request land in one temporary folder, are ingested as one batch, then removed. */
@Injectable()
export class IngestUploads {
  constructor(private readonly ingest: IngestService) {}

  static multerOptions(): MulterOptions {
    return {
      storage: multer.diskStorage({
        destination: (request, _file, done) => {
          const upload = request as UploadRequest;
          if (!upload.uploadDir) {
            const dir = makeTempDir('shirube-upload-');
            upload.uploadDir = dir;
            // On every way out, also those that never reach the handler (a refused file, a dropped connection).
            upload.res?.once('close', () => removeTempDir(dir));
          }
          done(null, upload.uploadDir);
        },
        filename: (request, file, done) => {
          const name = uploadedName(file.originalname);
          if (name.includes('/'))
            mkdirSync(dirname(join((request as UploadRequest).uploadDir!, name)), { recursive: true });
          done(null, name);
        },
      }),
      limits: { fileSize: 4 * 1024 ** 3 },
    };
  }

  /** Ingests the files of one request as one batch; its problems' words (`message`) in `locale`. */
  async ingestUpload(
    actor: Actor,
    files: Express.Multer.File[],
    body: IngestUploadDto,
    locale: Locale,
  ): Promise<BatchReportView> {
    const dir = files[0]?.destination;
    try {
      if (!dir) throw invalidField('files', 'upload at least one file as multipart field "files"', 'no file uploaded');
      const recorded = await this.ingest.ingest(dir, actor, {
        feed: body.feed,
        acceptPartial: body.acceptPartial,
        prePseudonymized: body.prePseudonymized,
        encoding: body.encoding,
        scopeSchool: actor.role === 'school' ? actor.schoolCode : null,
      });
      const report: BatchReportView = withMessages(recorded, locale);
      // Nothing loaded: an error (422) whose body carries the batch report, so a client cannot take it for a success.
      if (report.status === 'rejected') throw batchRejected(report.message, report);
      return report;
    } finally {
      if (dir) removeTempDir(dir);
    }
  }

  async batchFor(actor: Actor, id: string, locale: Locale): Promise<BatchReportView> {
    const { report, actorUserId } = await this.ingest.batch(id);
    if (actor.role === 'school' && actorUserId !== actor.userId) throw forbiddenSchool(actor.schoolCode ?? '');
    return withMessages(report, locale) as BatchReportView;
  }
}
