import type { TestApp } from './test-app.js';

/** What a browser sends with a form of Shirube's own pages: the host it asked for, and that origin. */
export const SAME_ORIGIN = { Host: '127.0.0.1', Origin: 'http://127.0.0.1' };

/** Signs in on the login page, as a browser on the same origin would; returns the session cookie (name=value). */
export async function signIn(t: Pick<TestApp, 'http'>, token: string): Promise<string> {
  const login = await t.http().post('/login').set(SAME_ORIGIN).type('form').send({ token }).expect(303);
  return String(login.headers['set-cookie']).split(';')[0];
}
