import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';

/**
 * An AbortSignal that aborts when the HTTP client goes away before its response is complete, so
 * that a long query it asked for stops instead of running on for nobody. The response's 'close'
 * event fires both then and after a complete response; `writableFinished` tells them apart.
 */
export function clientGoneSignal(response: Response): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** The handler's `clientGoneSignal`, as a parameter. */
export const ClientSignal = createParamDecorator((_: unknown, context: ExecutionContext): AbortSignal =>
  clientGoneSignal(context.switchToHttp().getResponse()),
);
