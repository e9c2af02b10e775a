import type { Browser, Page } from 'puppeteer-core';
import { UsersService } from '../../src/auth/users.service.js';
import type { Role } from '../../src/auth/entities/user.entity.js';
import { CLI_ACTOR, requestContext } from '../../src/common/request-context.js';
import type { Locale } from '../../src/config/config.js';
import { demoSurvey } from '../../src/demo/demo-survey.js';
import { SurveysService } from '../../src/surveys/surveys.service.js';
import { axeViolations } from '../support/axe-check.js';
import { serveToChromium } from '../support/chromium.js';
import { codesIn, FORBIDDEN_CODES } from '../support/labels.js';
import { loadMunicipality } from '../support/municipality.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const YEAR = 2025;
/** Enough pages to reach every kind of page; a pager or a list of schools adds only a few of each kind. */
const MAX_PAGES = 120;
const MAX_PER_KIND = 2;
/** Links that download a file rather than open a page, and links that end the session or leave the site. */
const DOWNLOAD = /\.(csv|zip|pdf|arrow|json|parquet|xlsx)$|\/(download|zip)$/;
const NOT_A_PAGE = /^\/(logout|login\/oidc)/;
/** A file's own name (the batch report lists `xapi/statements.ndjson` as uploaded) is the user's, not ours. */
const FILE_NAME = /[\w./-]+\.(nd)?json\b/gi;
/**
 * Codes that are also English words (`ordinary`, `within`, `submitted`): English prose has them, so the English
 * crawl looks for the others only; the Japanese crawl of the same pages finds any of them left raw.
 */
const ENGLISH_WORDS = new Set(FORBIDDEN_CODES.filter((code) => /^[a-z]+$/.test(code)));

interface Visit {
  url: string;
  /** Where the browser ended, when the page sent it elsewhere. */
  landed?: string;
  status: number;
  problems: string[];
}

/**
 * Issue 16, acceptance 5: no page of the board, the analyst, a school or a teacher shows an API path or asks for
 * JSON. Every same-origin page reachable by GET links from home is opened in Chromium (breadth first, bounded), in
 * Japanese and in English, and checked: its words, axe-core, no raw codes, and 200 (or a deliberate 403).
 */
describe('every page a person can reach, crawled', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const tokens = {} as Record<Role, string>;
  /** What each crawl opened, per role and language: the 403 probe below opens the others' pages. */
  const crawled = new Map<string, Visit[]>();

  beforeAll(async () => {
    t = await startTestApp();
    await loadMunicipality(t, { schools: 3, students: 600, years: 2, seed: 16 });
    const [school] = (await t.warehouse.all<{ school_code: string }>('SELECT school_code FROM schools ORDER BY 1')).map(
      (row) => row.school_code,
    );
    const users = t.app.get(UsersService);
    const create = (name: string, role: Role) =>
      requestContext.run(CLI_ACTOR, () => users.createUser({ name, role, schoolCode: school }));
    const schoolUser = await create('crawl-school', 'school');
    const teacher = await create('crawl-teacher', 'teacher');
    Object.assign(tokens, {
      board_admin: t.tokens.board,
      analyst: t.tokens.analyst,
      school: schoolUser.token.secret,
      teacher: teacher.token.secret,
    });
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
    const watch = await t.http().get(`/api/watch/schools/${school}`).set(bearer(tokens.school)).expect(200);
    const flagged = watch.body.items as { student: string; homeroomId: string; indicators: { id: string }[] }[];
    // A support case for a flagged student of the teacher's homeroom, so the case page is reachable for both.
    await t
      .http()
      .post('/api/watch/cases')
      .set(bearer(tokens.school))
      .send({
        schoolCode: school,
        student: flagged[0].student,
        academicYear: YEAR,
        openedFrom: flagged[0].indicators.map((i) => i.id),
      })
      .expect(201);
    const homerooms = [flagged[0].homeroomId];
    await t
      .http()
      .put(`/api/watch/teachers/${teacher.user.id}/homerooms`)
      .set(bearer(tokens.board_admin))
      .send({ academicYear: YEAR, homeroomIds: homerooms })
      .expect(200);
    const surveys = t.app.get(SurveysService);
    await requestContext.run(CLI_ACTOR, async () => {
      const { survey } = await surveys.create({ ...demoSurvey(YEAR, new Date()), deadline: '2099-03-31' }, CLI_ACTOR);
      await surveys.issue(survey.id);
      // A draft too, so the builder's pages are reachable.
      await surveys.create({ ...demoSurvey(YEAR, new Date()), deadline: '2099-03-31' }, CLI_ACTOR);
    });
    await t
      .http()
      .post('/api/cohorts/definitions')
      .set(bearer(tokens.analyst))
      .send({
        name: 'crawl-descriptive',
        description: 'crawl',
        definition: { population: { academicYears: [2024, 2025] }, outcomes: ['attendance_rate'] },
      })
      .expect(201);
    ({ base, browser } = await serveToChromium(t));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const signedIn = async (role: Role): Promise<Page> => {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.goto(`${base}/login`);
    await page.type('#token', tokens[role]);
    await Promise.all([page.waitForNavigation(), page.click('#token-submit')]);
    expect(new URL(page.url()).pathname).toBe('/home');
    return page;
  };

  /** One kind of page: its path with identifiers folded, and the names of its query values. */
  const kindOf = (url: URL) =>
    url.pathname
      .split('/')
      .map((part) => (/\d/.test(part) && part.length > 3 ? ':id' : part))
      .join('/') +
    '?' +
    [...url.searchParams.keys()]
      .filter((k) => k !== 'lang')
      .sort()
      .join('&');

  /** What a person reads on the page, and where its links and forms go. */
  const readPage = (page: Page) =>
    page.evaluate(`(() => {
      const attributes = [...document.querySelectorAll('[placeholder], [title], [aria-label], [alt], input[value]')]
        .flatMap((el) => ['placeholder', 'title', 'aria-label', 'alt', 'value']
          .filter((a) => el.hasAttribute(a) && !(a === 'value' && !['submit', 'button'].includes(el.type)))
          .map((a) => el.getAttribute(a)));
      return {
        text: document.body.innerText,
        title: document.title,
        main: document.querySelector('main') ? document.querySelector('main').innerText : '',
        attributes,
        links: [...document.querySelectorAll('a[href]')].map((a) => ({
          href: a.href,
          download: a.hasAttribute('download'),
        })),
        targets: [...document.querySelectorAll('form[action]')].map((f) => f.getAttribute('action')),
      };
    })()`) as Promise<{
      text: string;
      title: string;
      main: string;
      attributes: string[];
      links: { href: string; download: boolean }[];
      targets: string[];
    }>;

  /** Opens one page and lists what is wrong with it; returns the page's links to follow. */
  const inspect = async (page: Page, url: string, locale: Locale): Promise<{ visit: Visit; links: string[] }> => {
    const response = await page.goto(url);
    const status = response?.status() ?? 0;
    const problems: string[] = [];
    if (status !== 200 && status !== 403) problems.push(`HTTP ${status}`);
    const seen = await readPage(page);
    for (const words of [seen.text, seen.title, ...seen.attributes]) {
      if (words.includes('/api/')) problems.push(`API path in "${excerpt(words, '/api/')}"`);
      const ours = words.replace(FILE_NAME, '');
      if (/json/i.test(ours)) problems.push(`JSON in "${excerpt(ours, /json/i)}"`);
    }
    for (const target of [...seen.links.map((l) => l.href), ...seen.targets])
      if (new URL(target, url).pathname.startsWith('/api/')) problems.push(`a link or form to ${target}`);
    const codes = codesIn(seen.main).filter((code) => locale === 'ja' || !ENGLISH_WORDS.has(code));
    for (const code of codes) problems.push(`raw code ${code} in "${excerpt(seen.main, code)}"`);
    problems.push(...(await axeViolations(page)).map((v) => `axe ${v}`));
    const links = seen.links.filter((l) => !l.download).map((l) => l.href);
    const asked = new URL(url);
    const landed = new URL(page.url());
    const visit: Visit = { url: asked.pathname + asked.search, status, problems };
    if (landed.href !== asked.href) visit.landed = landed.pathname + landed.search;
    return { visit, links };
  };

  /** Breadth first from `start`, over same-origin GET links in the crawl's language, bounded per kind of page. */
  const crawl = async (page: Page, start: string, locale: Locale): Promise<Visit[]> => {
    const queue = [new URL(start, base)];
    const queued = new Set([queue[0].href]);
    /** Where the browser ended: a link that redirects to a page already checked is not checked again. */
    const landedOn = new Set<string>();
    const kinds = new Map<string, number>();
    const visits: Visit[] = [];
    while (queue.length && visits.length < MAX_PAGES) {
      const url = queue.shift()!;
      const { visit, links } = await inspect(page, url.href, locale);
      if (visit.landed && landedOn.has(visit.landed)) continue;
      landedOn.add(visit.landed ?? visit.url);
      visits.push(visit);
      for (const href of links) {
        const next = new URL(href);
        next.hash = '';
        if (next.origin !== new URL(base).origin || queued.has(next.href)) continue;
        if (DOWNLOAD.test(next.pathname) || NOT_A_PAGE.test(next.pathname)) continue;
        // The language switch leads to the other crawl; a link that drops the language is a defect.
        const lang = next.searchParams.get('lang');
        if (lang === null) visit.problems.push(`a link without its language: ${next.pathname}${next.search}`);
        if (lang !== locale) continue;
        const kind = kindOf(next);
        if ((kinds.get(kind) ?? 0) >= MAX_PER_KIND) continue;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        queued.add(next.href);
        queue.push(next);
      }
    }
    return visits;
  };

  const report = (name: string, visits: Visit[]) => {
    const line = (v: Visit) =>
      `  ${v.status} ${v.url}${v.landed ? ` → ${v.landed}` : ''}` + v.problems.map((p) => `\n      ✗ ${p}`).join('');
    process.stdout.write(`\n${name}: ${visits.length} pages\n${visits.map(line).join('\n')}\n`);
    return visits.flatMap((v) => v.problems.map((p) => `${v.url}: ${p}`));
  };

  const ROLES: Role[] = ['board_admin', 'analyst', 'school', 'teacher'];
  const LOCALES: Locale[] = ['ja', 'en'];

  it.each(LOCALES)('the sign-in page (%s) is clean', async (locale) => {
    const page = await (await browser.createBrowserContext()).newPage();
    const visits = await crawl(page, `/login?lang=${locale}`, locale);
    await page.browserContext().close();
    expect(report(`signed out (${locale})`, visits)).toEqual([]);
  });

  describe.each(ROLES)('as %s', (role) => {
    it.each(LOCALES)(
      'every page reachable from home (%s) is clean',
      async (locale) => {
        const page = await signedIn(role);
        const visits = await crawl(page, `/home?lang=${locale}`, locale);
        crawled.set(`${role} ${locale}`, visits);
        await page.browserContext().close();
        expect(visits.length).toBeGreaterThan(1);
        expect(report(`${role} (${locale})`, visits)).toEqual([]);
      },
      600_000,
    );
  });

  it('refuses every role the pages only other roles reach (403, a clean page), or sends it to its own', async () => {
    const pathsOf = (visits: Visit[]) => visits.map((v) => new URL(v.landed ?? v.url, base).pathname);
    const refused: Visit[] = [];
    for (const role of ROLES) {
      const own = new Set(pathsOf(crawled.get(`${role} ja`)!));
      const others = new Set(
        pathsOf(
          ROLES.filter((r) => r !== role).flatMap((r) => crawled.get(`${r} ja`)!.filter((v) => v.status === 200)),
        ).filter((path) => !own.has(path)),
      );
      const page = await signedIn(role);
      for (const path of others) {
        const { visit } = await inspect(page, `${base}${path}?lang=ja`, 'ja');
        const sentHome = visit.status === 200 && visit.landed && own.has(new URL(visit.landed, base).pathname);
        if (visit.status !== 403 && !sentHome) visit.problems.push(`expected 403, got ${visit.status}`);
        refused.push({ ...visit, url: `${role} → ${visit.url}` });
      }
      await page.browserContext().close();
    }
    expect(report('refused (ja)', refused)).toEqual([]);
  }, 600_000);
});

function excerpt(text: string, what: string | RegExp): string {
  const at = typeof what === 'string' ? text.indexOf(what) : text.search(what);
  return text
    .slice(Math.max(0, at - 40), at + 40)
    .replace(/\s+/g, ' ')
    .trim();
}
