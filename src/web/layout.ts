import type { Actor } from '../common/request-context.js';
import type { Locale } from '../config/config.js';
import { html, page, type SafeHtml } from './html.js';
import { boardMessagesFor } from './board-messages.js';
import { cohortMessagesFor } from './cohort-messages.js';
import { watchMessages } from '../watch/watch.messages.js';
import { dashboardMessages } from '../dashboards/dashboards.messages.js';
import { messagesFor, type Messages } from './messages.js';

/** What every page needs to draw its frame: the language, who is signed in, and its own path (for the language switch). */
export interface PageContext {
  locale: Locale;
  m: Messages;
  actor: Actor | null;
  /** The page's GET path, without query: the language switch links back to it. */
  path: string;
}

export function pageContext(locale: Locale, actor: Actor | null, path: string): PageContext {
  return { locale, m: messagesFor(locale), actor, path };
}

/** A path on this site carrying the page language (and any other query values). */
export function localPath(path: string, locale: Locale, query: Record<string, string> = {}, hash?: string): string {
  const params = new URLSearchParams({ lang: locale, ...query });
  return `${path}?${params.toString()}${hash ? `#${hash}` : ''}`;
}

function siteHeader(ctx: PageContext): SafeHtml {
  const { m, locale, actor } = ctx;
  const other = locale === 'ja' ? 'en' : 'ja';
  const nav = actor
    ? html`<nav aria-label="${m.links}">
        <a href="${localPath('/home', locale)}">${m.home}</a>${
          actor.role === 'board_admin'
            ? html`<a href="${localPath('/surveys', locale)}">${m.surveysNav}</a
                ><a href="${localPath('/data', locale)}">${boardMessagesFor(locale).dataNav}</a
                ><a href="${localPath('/users', locale)}">${boardMessagesFor(locale).usersNav}</a>`
            : ''
        }${['board_admin', 'analyst', 'school'].includes(actor.role) ? html`<a href="${localPath('/reports', locale)}">${m.reportsNav}</a>` : ''}${
          actor.role === 'board_admin' || actor.role === 'analyst'
            ? html`<a href="${localPath('/cohorts', locale)}">${cohortMessagesFor(locale).nav}</a>`
            : ''
        }${actor.role === 'school' ? html`<a href="${localPath('/responses', locale)}">${m.responsesNav}</a>` : ''}${
          actor.role === 'board_admin' || actor.role === 'school' || actor.role === 'teacher'
            ? html`<a href="${localPath('/watch', locale)}">${watchMessages(locale).nav}</a>`
            : ''
        }${
          actor.role === 'school' || actor.role === 'teacher'
            ? html`<a href="${localPath('/dashboard', locale)}">${dashboardMessages(locale).nav}</a>`
            : ''
        }
      </nav>`
    : '';
  return html`<header>
    <span><strong>${m.appName}</strong></span
    >${nav}<span
      ><a href="${localPath(ctx.path, other)}" lang="${other}">${m.switchLang}</a> ${
        actor
          ? html` ·
              <form class="logout" method="post" action="/logout?lang=${locale}">
                <button>${m.logout}</button>
              </form>`
          : ''
      }</span
    >
  </header>`;
}

/** A whole page: header, then the content in the main column (wide for tables). */
export function renderPage(
  ctx: PageContext,
  title: string,
  content: SafeHtml,
  options: { wide?: boolean } = {},
): string {
  const body = html`${siteHeader(ctx)}
<main${options.wide ? html` class="wide"` : ''}>
${content}
</main>`;
  return page(ctx.locale, `${title} — ${ctx.m.appName}`, body);
}

/** A short page for a refusal or a missing page. */
export function renderMessagePage(ctx: PageContext, title: string, text: string): string {
  return renderPage(
    ctx,
    title,
    html`<h1>${title}</h1>
      <p>${text}</p>
      <p><a href="${localPath('/home', ctx.locale)}">${ctx.m.home}</a></p>`,
  );
}
