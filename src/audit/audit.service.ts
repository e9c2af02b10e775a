import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { requestContext } from '../common/request-context.js';
import { AuditEvent } from './audit-event.entity.js';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
}

/** Keys whose values are never written to the audit log, whatever a caller passes (a count under them is no secret). */
const SECRET_KEY = /token|password|secret|session/i;
const harmless = (value: unknown) => value === null || typeof value === 'number' || typeof value === 'boolean';

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) && !harmless(inner) ? '[redacted]' : redactSecrets(inner),
      ]),
    );
  }
  return value;
}

/** jsonb holds an object: a bare value is wrapped as { value }. */
function asJson(value: unknown): object | null {
  if (value === undefined || value === null) return null;
  const clean = redactSecrets(value);
  return typeof clean === 'object' && !Array.isArray(clean) ? clean : { value: clean };
}

/** Every call that changes something writes one: a fixed statement, not the ORM's insert and its RETURNING. */
const INSERT_EVENT = `
  INSERT INTO audit_events (actor_user_id, actor_role, actor_school_code, action, target_type, target_id, before, after,
                            reason, request_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10)`;

/** Writes the append-only audit log; the actor comes from the request context (or the CLI's). */
@Injectable()
export class AuditService {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Pass the transaction's manager so the audit row commits or rolls back with the change it describes. */
  async record(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const row = this.row(entry);
    await manager.query(INSERT_EVENT, row.parameters);
    row.written();
  }

  /**
   * The audit row of `entry` for a statement that writes it with the change it describes (its columns in
   * the order of INSERT_EVENT's); call `written()` once that statement has written it.
   */
  row(entry: AuditEntry): { parameters: unknown[]; written: () => void } {
    const state = requestContext.current();
    const actor = state?.actor;
    const json = (value: unknown) => {
      const clean = asJson(value);
      return clean === null ? null : JSON.stringify(clean);
    };
    return {
      parameters: [
        actor?.userId ?? null,
        actor?.role ?? null,
        actor?.schoolCode ?? null,
        entry.action,
        entry.targetType ?? null,
        entry.targetId ?? null,
        json(entry.before),
        json(entry.after),
        entry.reason ?? null,
        state?.requestId ?? null,
      ],
      written: () => {
        if (state) state.audited = true;
      },
    };
  }

  /**
   * The one row of a refused request (403), from the API's filter and the pages' alike: the route
   * pattern, the route's parameters (ids and school codes, never a body) and why.
   */
  async denied(request: { method: string; route?: { path?: string }; path: string; params?: object }, reason: string) {
    await this.record({
      action: 'access.denied',
      targetType: 'route',
      targetId: `${request.method} ${request.route?.path ?? request.path}`,
      after: request.params && Object.keys(request.params).length > 0 ? { params: request.params } : undefined,
      reason,
    });
  }

  async recent(limit: number, targetType?: string): Promise<AuditEvent[]> {
    return this.dataSource.getRepository(AuditEvent).find({
      where: targetType ? { targetType } : {},
      order: { id: 'DESC' },
      take: limit,
    });
  }
}
