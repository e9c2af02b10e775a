import type { Request, Response } from 'express';
import { SESSION_COOKIE } from './auth.service.js';

export function setSessionCookie(request: Request, response: Response, secret: string, expiresAt: Date): void {
  response.cookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.secure,
    expires: expiresAt,
    path: '/',
  });
}

export function clearSessionCookie(response: Response): void {
  response.clearCookie(SESSION_COOKIE, { path: '/' });
}
