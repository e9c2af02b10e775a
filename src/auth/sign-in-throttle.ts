import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { rateLimited } from '../common/common.errors.js';
import type { ShirubeConfig } from '../config/config.js';
import { SHIRUBE_CONFIG } from '../config/config.module.js';

const WINDOW_MS = 60_000;
/** Keys kept at most: past it the expired go, then the oldest (an attacker's many addresses cannot fill memory). */
const MAX_KEYS = 100_000;

/**
 * Failures per key within a sliding window: a key with `limit` failures in the last `windowMs` is
 * blocked until the oldest of them leaves the window. In memory, for one process.
 */
export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = WINDOW_MS,
    private readonly maxKeys = MAX_KEYS,
  ) {}

  /** Milliseconds until this key may try again; 0 when it may now. */
  blockedFor(key: string, now: number): number {
    const recent = this.recent(key, now);
    return recent.length >= this.limit ? recent[recent.length - this.limit] + this.windowMs - now : 0;
  }

  record(key: string, now: number): void {
    const recent = [...this.recent(key, now), now].slice(-this.limit);
    this.failures.delete(key);
    this.failures.set(key, recent);
    if (this.failures.size > this.maxKeys) this.evict(now);
  }

  get size(): number {
    return this.failures.size;
  }

  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key) ?? [];
    const recent = times.filter((time) => time > now - this.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }

  private evict(now: number): void {
    for (const key of [...this.failures.keys()]) this.recent(key, now);
    // Map order is insertion order, and record() reinserts: the first keys are the least recently failed.
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxKeys) break;
      this.failures.delete(key);
    }
  }
}

/**
 * One sign-in try: the account it names (for a token, the token's digest; for a password, the user
 * name) and the client address it comes from (Express's `req.ip`: behind SHIRUBE_TRUST_PROXY, the browser's).
 */
export interface SignInAttempt {
  account: string;
  address: string;
  /** How it was presented, for the audit row ('api_login', 'web_login', later 'password'). */
  via: string;
}

/**
 * Failed sign-ins are throttled per account and per address (issue 16): after
 * SHIRUBE_SIGNIN_FAILURES_PER_MINUTE failures within a minute of either, further tries are refused
 * (RATE_LIMITED, a 429 with Retry-After) before the credential is even looked at, and every refused try
 * is audited (`auth.throttled`: which limit, never the address or the secret). Any sign-in (token now,
 * password later) goes through `assertMayTry` first and `recordFailure` when its credential is refused.
 */
@Injectable()
export class SignInThrottle {
  private readonly accounts: FailureWindow;
  private readonly addresses: FailureWindow;

  constructor(
    @Inject(SHIRUBE_CONFIG) private readonly config: ShirubeConfig,
    private readonly audit: AuditService,
  ) {
    this.accounts = new FailureWindow(config.limits.signInFailuresPerMinute);
    this.addresses = new FailureWindow(config.limits.signInFailuresPerMinute);
  }

  async assertMayTry(attempt: SignInAttempt, now = Date.now()): Promise<void> {
    const account = this.accounts.blockedFor(attempt.account, now);
    const address = this.addresses.blockedFor(attempt.address, now);
    if (account === 0 && address === 0) return;
    const limit = account > 0 && address > 0 ? 'account_and_address' : account > 0 ? 'account' : 'address';
    await this.audit.record({
      action: 'auth.throttled',
      reason: 'TOO_MANY_FAILED_SIGN_INS',
      after: { via: attempt.via, limit, failuresPerMinute: this.config.limits.signInFailuresPerMinute },
    });
    throw rateLimited(
      'too many failed sign-ins from here or for this account; try again later',
      Math.max(account, address) / 1000,
    );
  }

  recordFailure(attempt: SignInAttempt, now = Date.now()): void {
    this.accounts.record(attempt.account, now);
    this.addresses.record(attempt.address, now);
  }
}
