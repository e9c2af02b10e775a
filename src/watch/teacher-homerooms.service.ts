import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { invalidField, notFound } from '../common/common.errors.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import type { ShirubeConfig } from '../config/config.js';
import { pseudonymKeyPath, readPseudonymKey } from '../config/pseudonym-key.js';
import { pseudonymKeyUnavailable } from '../ingest/ingest.errors.js';
import { Pseudonymizer } from '../ingest/pseudonymizer.js';
import { Warehouse } from '../warehouse/warehouse.js';
import type { HomeroomsView } from './dto/watch.dto.js';
import { WatchRepository } from './watch.repository.js';

/** The board's pseudonymisation, as the ingest does it; a missing or unreadable key is a 503. */
export function boardPseudonymizer(config: ShirubeConfig): Pseudonymizer {
  try {
    return new Pseudonymizer(readPseudonymKey(pseudonymKeyPath(config)));
  } catch (error) {
    throw pseudonymKeyUnavailable((error as Error).message);
  }
}

/** A teacher's homerooms: set by the board, or found from the teacher's OneRoster enrollments (audited). */
@Injectable()
export class TeacherHomerooms {
  constructor(
    @Inject(Warehouse) private readonly warehouse: Warehouse,
    private readonly repository: WatchRepository,
    private readonly audit: AuditService,
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
  ) {}

  /**
   * Binds a teacher to homerooms of a school year (audited): the ones listed, or those of its OneRoster teacher
   * enrollments, found by the pseudonym of the sourcedId given (which is used for the lookup and never stored).
   */
  async set(
    userId: string,
    input: { academicYear: number; homeroomIds?: string[]; rosterTeacherId?: string },
  ): Promise<HomeroomsView> {
    const user = await this.repository.userRole(userId);
    if (!user || user.role !== 'teacher' || !user.school_code) throw notFound('teacher', userId);
    if ((input.homeroomIds === undefined) === (input.rosterTeacherId === undefined))
      throw invalidField('homeroomIds', 'give either homeroomIds or rosterTeacherId');
    const known = await this.warehouse.all<{ homeroom_id: string }>(
      'SELECT homeroom_id FROM homerooms WHERE school_code = $1 AND academic_year = $2',
      [user.school_code, input.academicYear],
    );
    const homerooms = new Set(known.map((row) => row.homeroom_id));
    let chosen: string[];
    let source: 'board' | 'oneroster';
    if (input.rosterTeacherId !== undefined) {
      const pseudonym = boardPseudonymizer(this.config).pseudonym(input.rosterTeacherId);
      const rows = await this.warehouse.all<{ class_id: string }>(
        `SELECT DISTINCT class_id FROM roster_enrollments WHERE user_pid = $1 AND role = 'teacher' AND status = 'active' ORDER BY 1`,
        [pseudonym],
      );
      chosen = rows.map((row) => row.class_id).filter((id) => homerooms.has(id));
      source = 'oneroster';
    } else {
      chosen = [...new Set(input.homeroomIds)].sort();
      const unknown = chosen.filter((id) => !homerooms.has(id));
      if (unknown.length > 0)
        throw invalidField(
          'homeroomIds',
          `not homerooms of ${user.school_code} in ${input.academicYear}: ${unknown.join(', ')}`,
        );
      source = 'board';
    }
    await this.repository.transaction(async (manager) => {
      await this.repository.setHomerooms(manager, userId, input.academicYear, chosen, source);
      await this.audit.record(
        {
          action: 'watch.homerooms.set',
          targetType: 'user',
          targetId: userId,
          after: { academicYear: input.academicYear, homeroomIds: chosen, source },
        },
        manager,
      );
    });
    return { userId, academicYear: input.academicYear, homeroomIds: chosen, source };
  }
}
