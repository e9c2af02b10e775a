import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../auth/entities/user.entity.js';

/** Who is acting: a signed-in user, or the command line (board staff at the server). */
export interface Actor {
  userId: string | null;
  name: string;
  role: Role | 'cli';
  schoolCode: string | null;
}

interface RequestState {
  requestId: string;
  actor?: Actor;
  /** Set once a service has written the audit row for this request, so the fallback does not write a second. */
  audited: boolean;
}

const storage = new AsyncLocalStorage<RequestState>();

export const requestContext = {
  /** Express middleware: every request runs in its own context. */
  middleware: (req: Request, res: Response, next: NextFunction): void => {
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    storage.run({ requestId, audited: false }, next);
  },
  run<T>(actor: Actor, work: () => Promise<T>): Promise<T> {
    return storage.run({ requestId: randomUUID(), actor, audited: false }, work);
  },
  current(): RequestState | undefined {
    return storage.getStore();
  },
  setActor(actor: Actor): void {
    const state = storage.getStore();
    if (state) state.actor = actor;
  },
};

export const CLI_ACTOR: Actor = { userId: null, name: 'cli', role: 'cli', schoolCode: null };
/** The command line of the server's own machine, going through the running server (store-lock.ts). */
export const LOCAL_CLI_ACTOR: Actor = { userId: null, name: 'cli (through the server)', role: 'cli', schoolCode: null };
