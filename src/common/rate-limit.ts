import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { SESSION_COOKIE } from '../auth/auth.service.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';
import { clientAddress } from './client-address.js';
import { rateLimited } from './common.errors.js';

const MINUTE_MS = 60_000;
/** Keys kept at most: past it the stale go, then the oldest (many addresses cannot fill memory). */
const MAX_KEYS = 100_000;

interface Slot {
  start: number;
  current: number;
  previous: number;
}

/**
 * Requests per key and window, counted in constant memory per key: the count of the window in progress
 * plus the previous window's, weighted by how much of it still overlaps the last `windowMs` (a sliding
 * window, estimated). In memory, for one process.
 */
export class RateWindow {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = MINUTE_MS,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  /** Counts one request unless the key is at its limit; returns the milliseconds to wait when refused, else 0. */
  hit(key: string, now: number): number {
    const slot = this.slot(key, now);
    const overlap = 1 - (now - slot.start) / this.windowMs;
    if (slot.previous * overlap + slot.current >= this.limit) return Math.max(1, slot.start + this.windowMs - now);
    slot.current++;
    return 0;
  }

  get size(): number {
    return this.slots.size;
  }

  private slot(key: string, now: number): Slot {
    let slot = this.slots.get(key);
    if (!slot || now >= slot.start + 2 * this.windowMs) {
      slot = { start: now, current: 0, previous: 0 };
      this.slots.set(key, slot);
      if (this.slots.size > this.maxKeys) this.evict(now);
    } else if (now >= slot.start + this.windowMs) {
      slot.start += this.windowMs;
      slot.previous = slot.current;
      slot.current = 0;
    }
    return slot;
  }

  private evict(now: number): void {
    for (const [key, slot] of this.slots) if (now >= slot.start + 2 * this.windowMs) this.slots.delete(key);
    for (const key of this.slots.keys()) {
      if (this.slots.size <= this.maxKeys) break;
      this.slots.delete(key);
    }
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Whose requests are counted together: the bearer token or the session cookie sent (as a digest, so no
 * secret is kept), else the client address. A school's staff behind one address each have their own token.
 */
export function credentialKey(request: Request): string {
  const authorization = request.headers.authorization;
  if (authorization) return `bearer:${digest(authorization)}`;
  const session = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
  if (session) return `session:${digest(session)}`;
  return `address:${clientAddress(request)}`;
}

/**
 * The general rate limit of every route, API and pages alike (static files are not counted), checked
 * before anything is looked up: per token or session, or without one per address (SHIRUBE_RATE_LIMIT a
 * minute), and per client address whatever it sends (SHIRUBE_RATE_LIMIT_PER_ADDRESS), which also bounds
 * a flood of made-up tokens. 0 turns a limit off. A refusal is RATE_LIMITED (429, Retry-After).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly credentials: RateWindow | null;
  private readonly addresses: RateWindow | null;

  constructor(@Inject(SHIRUBE_CONFIG) config: ShirubeConfig) {
    const { requestsPerMinute, requestsPerMinutePerAddress } = config.limits;
    this.credentials = requestsPerMinute > 0 ? new RateWindow(requestsPerMinute) : null;
    this.addresses = requestsPerMinutePerAddress > 0 ? new RateWindow(requestsPerMinutePerAddress) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const now = Date.now();
    const fromAddress = this.addresses?.hit(clientAddress(request), now) ?? 0;
    if (fromAddress > 0) throw tooMany('from this address', fromAddress);
    const withCredential = this.credentials?.hit(credentialKey(request), now) ?? 0;
    if (withCredential > 0) throw tooMany('with this token or session', withCredential);
    return true;
  }
}

const tooMany = (who: string, waitMs: number) =>
  rateLimited(`too many requests ${who}; try again in ${Math.ceil(waitMs / 1000)} s`, waitMs / 1000);
