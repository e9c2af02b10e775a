import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { IsNull, Not } from 'typeorm';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { WebSession } from '../../src/auth/entities/web-session.entity.js';
import { UsersService } from '../../src/auth/users.service.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import { axeViolations } from '../support/axe-check.js';
import { launchChromium } from '../support/chromium.js';
import { startIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { SAME_ORIGIN } from '../support/web.js';

const PASSWORD = 'correct horse battery staple';

/**
 * Sign-in for people (issue 16, acceptance 1): through a real OpenID Connect provider on this machine,
 * and with a local password; failed tries throttled and audited; sessions that end.
 */
describe('people sign in', () => {
  let idp: TestIdentityProvider;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let officialId: string;
  let clerkId: string;

  beforeAll(async () => {
    idp = await startIdentityProvider({
      'entra-official': { email: 'Official@Board.example.jp' },
      'entra-stranger': { email: 'stranger@board.example.jp' },
    });
    t = await startTestApp((config) => ({
      ...config,
      trustProxyHops: 1,
      signIn: {
        ...config.signIn,
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          matchClaim: 'email',
          displayName: 'Microsoft 365',
        },
      },
    }));
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    idp.register(`${base}/login/oidc/callback`);
    const users = t.app.get(UsersService);
    await requestContext.run(CLI_ACTOR, async () => {
      officialId = (await users.createUser({ name: '指導主事', role: 'board_admin' })).user.id;
      await users.updateProfile(officialId, {
        email: 'official@board.example.jp',
        idpAccount: 'official@board.example.jp',
      });
      clerkId = (await users.createUser({ name: 'clerk', role: 'board_admin' })).user.id;
      await users.updateProfile(clerkId, { email: 'clerk@board.example.jp' });
      await users.setPassword(clerkId, PASSWORD);
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  const text = (page: Page, selector: string) =>
    page.$eval(selector, (el) => (el as unknown as { textContent: string }).textContent ?? '');
  const follow = async (page: Page, selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };
  const audits = (action: string) => t.dataSource.getRepository(AuditEvent).find({ where: { action } });

  /** Goes through the provider's own login and consent pages as `login`. */
  const throughProvider = async (page: Page, login: string) => {
    await follow(page, '#sign-in-idp');
    expect(page.url().startsWith(idp.issuer)).toBe(true);
    await page.type('input[name=login]', login);
    await page.type('input[name=password]', 'anything');
    await follow(page, 'button[type=submit]');
    // The consent page (first visit of this client): continue.
    if (page.url().startsWith(idp.issuer)) await follow(page, 'button[type=submit]');
  };

  it('shows a Japanese sign-in page that axe finds clean', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    expect(await page.$eval('html', (el) => el.getAttribute('lang'))).toBe('ja');
    expect(await text(page, 'h1')).toBe('ログイン');
    expect(await text(page, '#sign-in-idp')).toBe('Microsoft 365でログイン');
    expect(await text(page, 'main')).toContain('利用者名とパスワードでログイン');
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${base}/login?lang=en`);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('signs in through the OpenID Connect provider and reaches the board home', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(`${base}/surveys`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await throughProvider(page, 'entra-official');
    // Back at Shirube, signed in, at the page that asked for the sign-in.
    expect(new URL(page.url()).origin).toBe(base);
    expect(new URL(page.url()).pathname).toBe('/surveys');
    await page.goto(`${base}/home`);
    expect(await text(page, 'main dl')).toContain('指導主事');
    expect(await text(page, 'main dl')).toContain('教育委員会(管理者)');
    const sessions = await t.dataSource.getRepository(WebSession).findBy({ userId: officialId, method: 'oidc' });
    expect(sessions).toHaveLength(1);
    expect(sessions[0].tokenId).toBeNull();
    const logins = (await audits('session.login')).filter((e) => e.targetId === sessions[0].id);
    expect(logins[0].after).toMatchObject({ method: 'oidc' });
    await context.close();
  });

  it('refuses a provider account that no user is linked to, and audits it', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await throughProvider(page, 'entra-stranger');
    expect(new URL(page.url()).pathname).toBe('/login/oidc/callback');
    expect(await text(page, '[role=alert]')).toContain('登録されていない');
    expect(await page.cookies()).not.toContainEqual(expect.objectContaining({ name: 'shirube_session' }));
    const refused = (await audits('auth.failed')).filter((e) => e.reason === 'IDP_ACCOUNT_NOT_LINKED');
    expect(refused).toHaveLength(1);
    expect(JSON.stringify(refused[0])).not.toContain('stranger@');
    await context.close();
  });

  it('refuses a callback that this browser did not start (no state of its own)', async () => {
    const refused = await t.http().get('/login/oidc/callback?code=forged&state=forged').expect(401);
    expect(refused.text).toContain('ログインを完了できませんでした');
  });

  it('signs in with a local password, by name or e-mail address', async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.type('#login', 'Clerk@board.example.jp');
    await page.type('#password', PASSWORD);
    await follow(page, '#password-submit');
    expect(new URL(page.url()).pathname).toBe('/home');
    expect(await text(page, 'main dl')).toContain('clerk');
    await context.close();
    const byName = await t
      .http()
      .post('/login/password')
      .set(SAME_ORIGIN)
      .type('form')
      .send({ login: 'clerk', password: PASSWORD })
      .expect(303);
    expect(byName.headers.location).toBe('/home?lang=ja');
  });

  it('refuses a wrong password, throttles the sixth try in a minute with 429, and audits both', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/login`);
    await page.type('#login', 'clerk');
    await page.type('#password', 'not the password');
    const refused = await follow(page, '#password-submit');
    expect(refused.status()).toBe(401);
    expect(await text(page, '[role=alert]')).toBe('利用者名またはパスワードが正しくありません。');
    await page.close();
    // From another address (behind the trusted proxy), so only the account's limit can trip.
    const elsewhere = { ...SAME_ORIGIN, 'X-Forwarded-For': '192.0.2.10' };
    for (let i = 0; i < 4; i++)
      await t
        .http()
        .post('/login/password')
        .set(elsewhere)
        .type('form')
        .send({ login: 'clerk', password: `wrong ${i}` })
        .expect(401);
    // The sixth try, with the right password: refused before the password is looked at.
    const throttled = await t
      .http()
      .post('/login/password')
      .set(elsewhere)
      .type('form')
      .send({ login: 'clerk', password: PASSWORD })
      .expect(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.text).toContain('サインインの失敗が続いたため');
    const wrong = (await audits('auth.failed')).filter((e) => e.reason === 'PASSWORD_WRONG');
    expect(wrong).toHaveLength(5);
    expect(wrong[0].after).toMatchObject({ via: 'password', userId: clerkId });
    const limited = await audits('auth.throttled');
    expect(limited).toHaveLength(1);
    expect(limited[0].after).toMatchObject({ via: 'password', limit: 'account' });
    expect(JSON.stringify([...wrong, ...limited])).not.toContain('wrong 1');
  });

  it('makes the cookie Secure behind a trusted TLS proxy', async () => {
    const users = t.app.get(UsersService);
    const id = (await requestContext.run(CLI_ACTOR, () => users.createUser({ name: 'proxied', role: 'analyst' }))).user
      .id;
    await requestContext.run(CLI_ACTOR, () => users.setPassword(id, PASSWORD));
    const login = await t
      .http()
      .post('/login/password')
      .set({
        Host: 'shirube.example.jp',
        Origin: 'https://shirube.example.jp',
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-For': '192.0.2.20',
      })
      .type('form')
      .send({ login: 'proxied', password: PASSWORD })
      .expect(303);
    expect(String(login.headers['set-cookie'])).toMatch(/shirube_session=[^;]+;.*Secure/);
    const plain = await t
      .http()
      .post('/login/password')
      .set({ ...SAME_ORIGIN, 'X-Forwarded-For': '192.0.2.20' })
      .type('form')
      .send({ login: 'proxied', password: PASSWORD })
      .expect(303);
    expect(String(plain.headers['set-cookie'])).not.toContain('Secure');
  });

  it('ends a session when it expires and when the board revokes it', async () => {
    const signIn = async () => {
      const login = await t
        .http()
        .post('/login/password')
        .set({ Host: '127.0.0.1', Origin: 'http://127.0.0.1', 'X-Forwarded-For': '192.0.2.30' })
        .type('form')
        .send({ login: 'proxied', password: PASSWORD })
        .expect(303);
      return String(login.headers['set-cookie']).split(';')[0];
    };
    const expiring = await signIn();
    await t.http().get('/home').set('Cookie', expiring).expect(200);
    await t.dataSource
      .getRepository(WebSession)
      .update(
        { method: 'password', tokenId: IsNull(), expiresAt: Not(IsNull()) },
        { expiresAt: new Date(Date.now() - 1000) },
      );
    await t
      .http()
      .get('/home')
      .set('Cookie', expiring)
      .expect(303)
      .expect('Location', /\/login/);
    const revoked = await signIn();
    await t.http().get('/home').set('Cookie', revoked).expect(200);
    const proxied = (await t.app.get(UsersService).listUsers({ limit: 100, offset: 0 })).items.find(
      (u) => u.name === 'proxied',
    )!;
    const ended = await requestContext.run(CLI_ACTOR, () => t.app.get(UsersService).endSessions(proxied.id));
    expect(ended.sessionsEnded).toBeGreaterThanOrEqual(1);
    await t
      .http()
      .get('/home')
      .set('Cookie', revoked)
      .expect(303)
      .expect('Location', /\/login/);
    expect((await audits('auth.failed')).filter((e) => e.reason === 'SESSION_EXPIRED')).toHaveLength(1);
  });
});
