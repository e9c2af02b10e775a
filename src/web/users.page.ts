import type { TokenView } from '../auth/dto/user.view.js';
import { ROLES, type User } from '../auth/entities/user.entity.js';
import type { Page } from '../common/page.js';
import { label } from '../labels/labels.js';
import { boardMessagesFor, type BoardMessages } from './board-messages.js';
import { formatDateTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';
import { renderPager } from './pager.js';

export type UsersDone = keyof BoardMessages['done'];

/** A refused form: the page's words for it, and the fields it names. */
export interface FormProblem {
  message: string;
  fields: string[];
}

export interface SchoolChoice {
  schoolCode: string;
  name: string;
}

/** What the create form was sent with, to fill it in again after a refusal. */
export type UserDraft = Partial<
  Record<'name' | 'displayName' | 'role' | 'schoolCode' | 'email' | 'idpAccount', string>
>;

function problemBox(ctx: PageContext, problem: FormProblem | undefined): SafeHtml | '' {
  if (!problem) return '';
  const b = boardMessagesFor(ctx.locale);
  const names = problem.fields.map((f) => b.fieldNames[f] ?? f);
  return html`<div class="alert danger" role="alert" id="form-problem">
    ${problem.message}${names.length > 0 ? html` (${names.join(ctx.locale === 'ja' ? '、' : ', ')})` : ''}
  </div>`;
}

function schoolOptions(ctx: PageContext, schools: SchoolChoice[], selected: string | undefined): SafeHtml {
  const b = boardMessagesFor(ctx.locale);
  return html`<option value="">${b.noSchool}</option>
    ${schools.map(
      (s) =>
        html`<option value="${s.schoolCode}" ${s.schoolCode === selected ? html` selected` : ''}>
          ${s.name} (${s.schoolCode})
        </option>`,
    )}`;
}

/** The board's list of users, with the form that adds one. */
export function renderUsers(
  ctx: PageContext,
  data: { users: Page<User>; schools: SchoolChoice[]; matchClaim: string },
  state: { problem?: FormProblem; draft?: UserDraft } = {},
): string {
  const { m, locale } = ctx;
  const b = boardMessagesFor(locale);
  const draft = state.draft ?? {};
  const schoolName = new Map(data.schools.map((s) => [s.schoolCode, s.name]));
  const content = html`<h1>${b.usersTitle}</h1>
    ${problemBox(ctx, state.problem)}
    <table aria-label="${b.usersTitle}" id="users">
      <thead>
        <tr>
          <th scope="col">${b.userName}</th>
          <th scope="col">${b.displayName}</th>
          <th scope="col">${b.role}</th>
          <th scope="col">${b.school}</th>
          <th scope="col">${b.email}</th>
          <th scope="col">${b.idpAccount}</th>
          <th scope="col">${b.state}</th>
          <th scope="col"><span class="sr-only">${b.details}</span></th>
        </tr>
      </thead>
      <tbody>
        ${data.users.items.map(
          (u) =>
            html`<tr id="user-${u.id}">
              <th scope="row">${u.name}</th>
              <td>${u.displayName ?? '—'}</td>
              <td>${label('role', u.role, locale)}</td>
              <td>${u.schoolCode ? (schoolName.get(u.schoolCode) ?? u.schoolCode) : '—'}</td>
              <td>${u.email ?? '—'}</td>
              <td>${u.idpAccount ? b.linked : b.notLinked}</td>
              <td>${u.disabledAt ? b.disabled : b.enabled}</td>
              <td>
                <a href="${localPath(`/users/${u.id}`, locale)}"
                  >${b.details}<span class="sr-only"> (${u.name})</span></a
                >
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${renderPager(ctx, data.users)}

    <h2 id="create-h">${b.createUserTitle}</h2>
    <form method="post" action="${localPath('/users', locale)}" aria-labelledby="create-h" class="stacked">
      <label for="new-name">${b.userName}</label>
      <input
        type="text"
        id="new-name"
        name="name"
        required
        maxlength="200"
        value="${draft.name ?? ''}"
        aria-describedby="new-name-help"
      />
      <p class="help" id="new-name-help">${b.userNameHelp}</p>
      <label for="new-display">${b.displayName}</label>
      <input type="text" id="new-display" name="displayName" maxlength="200" value="${draft.displayName ?? ''}" />
      <label for="new-role">${b.role}</label>
      <select id="new-role" name="role" required>
        ${ROLES.map((r) => html`<option value="${r}" ${r === (draft.role ?? 'school') ? html` selected` : ''}>${label('role', r, locale)}</option>`)}
      </select>
      <label for="new-school">${b.school}</label>
      <select id="new-school" name="schoolCode" aria-describedby="new-school-help">
        ${schoolOptions(ctx, data.schools, draft.schoolCode)}
      </select>
      <p class="help" id="new-school-help">${b.schoolHelp}</p>
      ${signInFields(b, NEW_USER_IDS, draft, data.matchClaim)}
      <label for="new-password">${b.initialPassword}</label>
      <input type="password" id="new-password" name="password" autocomplete="new-password" maxlength="200" />
      <button type="submit" id="create-user">${b.createButton}</button>
    </form>
    <p><a href="${localPath('/home', locale)}">${m.home}</a></p>`;
  return renderPage(ctx, b.usersTitle, content, { wide: true });
}

/** The element ids of the mail and sign-in account fields: the new-user form's, and one user's profile form's. */
const NEW_USER_IDS = { email: 'new-email', emailHelp: 'new-email-help', idp: 'new-idp', idpHelp: 'new-idp-help' };
const USER_IDS = { email: 'email', emailHelp: 'email-help', idp: 'idpAccount', idpHelp: 'idp-help' };

/** A user's mail address and sign-in account (for the identity provider), with their help texts. */
function signInFields(
  b: ReturnType<typeof boardMessagesFor>,
  ids: typeof USER_IDS,
  values: { email?: string | null; idpAccount?: string | null },
  matchClaim: string,
): SafeHtml {
  return html`<label for="${ids.email}">${b.email}</label>
    <input
      type="email"
      id="${ids.email}"
      name="email"
      maxlength="254"
      value="${values.email ?? ''}"
      aria-describedby="${ids.emailHelp}"
    />
    <p class="help" id="${ids.emailHelp}">${b.emailHelp}</p>
    <label for="${ids.idp}">${b.idpAccount}</label>
    <input
      type="text"
      id="${ids.idp}"
      name="idpAccount"
      maxlength="254"
      value="${values.idpAccount ?? ''}"
      aria-describedby="${ids.idpHelp}"
    />
    <p class="help" id="${ids.idpHelp}">${b.idpAccountHelp(matchClaim)}</p>`;
}

/** One user: their details, password, tokens (a new one's secret shown once), sessions, and disabling them. */
export function renderUser(
  ctx: PageContext,
  data: { user: User; tokens: TokenView[]; sessions: number; matchClaim: string; schoolName: string | null },
  state: { done?: UsersDone; problem?: FormProblem; secret?: string } = {},
): string {
  const { locale } = ctx;
  const b = boardMessagesFor(locale);
  const { user } = data;
  const base = `/users/${user.id}`;
  const live = !user.disabledAt;
  const content = html`<p><a href="${localPath('/users', locale)}">← ${b.usersTitle}</a></p>
    <h1>${user.displayName ?? user.name}</h1>
    ${state.done ? html`<div class="alert ok" role="status" id="done">${b.done[state.done]}</div>` : ''}
    ${problemBox(ctx, state.problem)}
    ${
      state.secret
        ? html`<section class="alert warn" aria-labelledby="secret-h">
            <h2 id="secret-h">${b.newSecretTitle}</h2>
            <p><code id="new-secret">${state.secret}</code></p>
            <p>${b.newSecretHelp}</p>
          </section>`
        : ''
    }
    <dl>
      <dt>${b.userName}</dt>
      <dd>${user.name}</dd>
      <dt>${b.role}</dt>
      <dd>${label('role', user.role, locale)}</dd>
      <dt>${b.school}</dt>
      <dd>${user.schoolCode ? `${data.schoolName ?? ''} (${user.schoolCode})` : '—'}</dd>
      <dt>${b.state}</dt>
      <dd id="user-state">${live ? b.enabled : b.disabled}</dd>
      <dt>${b.passwordTitle}</dt>
      <dd>${user.passwordHash ? b.passwordSet : b.noPassword}</dd>
    </dl>
    ${
      live
        ? html`<h2 id="profile-h">${b.profileTitle}</h2>
            <form method="post" action="${localPath(`${base}/profile`, locale)}" aria-labelledby="profile-h">
              <label for="displayName">${b.displayName}</label>
              <input
                type="text"
                id="displayName"
                name="displayName"
                maxlength="200"
                value="${user.displayName ?? ''}"
              />
              ${signInFields(b, USER_IDS, user, data.matchClaim)}
              <button type="submit" id="save-profile">${b.saveProfile}</button>
            </form>

            <h2 id="password-h">${b.passwordTitle}</h2>
            <form method="post" action="${localPath(`${base}/password`, locale)}" aria-labelledby="password-h">
              <label for="password">${b.newPassword}</label>
              <input
                type="password"
                id="password"
                name="password"
                autocomplete="new-password"
                required
                minlength="12"
                maxlength="200"
                aria-describedby="password-help"
              />
              <p class="help" id="password-help">${b.passwordHelp}</p>
              <button type="submit" id="set-password">${b.setPassword}</button>
            </form>`
        : ''
    }

    <h2 id="tokens-h">${b.tokensTitle}</h2>
    <p class="help">${b.tokensHelp}</p>
    ${
      data.tokens.length === 0
        ? html`<p>${b.noTokens}</p>`
        : html`<table aria-labelledby="tokens-h" id="tokens">
            <thead>
              <tr>
                <th scope="col">${b.tokenLabel}</th>
                <th scope="col">${b.tokenPrefix}</th>
                <th scope="col">${b.createdAt}</th>
                <th scope="col">${b.lastUsedAt}</th>
                <th scope="col">${b.revokedAt}</th>
                <th scope="col"><span class="sr-only">${b.revoke}</span></th>
              </tr>
            </thead>
            <tbody>
              ${data.tokens.map(
                (token) =>
                  html`<tr id="token-${token.id}">
                    <th scope="row">${token.label}</th>
                    <td><code>${token.prefix}…</code></td>
                    <td class="nowrap">${formatDateTime(token.createdAt, locale)}</td>
                    <td class="nowrap">${token.lastUsedAt ? formatDateTime(token.lastUsedAt, locale) : '—'}</td>
                    <td class="nowrap">${token.revokedAt ? formatDateTime(token.revokedAt, locale) : '—'}</td>
                    <td>
                      ${
                        token.revokedAt
                          ? ''
                          : html`<form
                              method="post"
                              class="inline"
                              action="${localPath(`${base}/tokens/${token.id}/revoke`, locale)}"
                            >
                              <button type="submit">${b.revoke}<span class="sr-only"> (${token.label})</span></button>
                            </form>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      live
        ? html`<form method="post" action="${localPath(`${base}/tokens`, locale)}">
            <label for="label">${b.tokenLabel}</label>
            <input type="text" id="label" name="label" required maxlength="100" />
            <button type="submit" id="issue-token">${b.issueToken}</button>
          </form>`
        : ''
    }

    <h2 id="sessions-h">${b.sessionsTitle}</h2>
    <p id="sessions">${b.sessionsCount(data.sessions)}</p>
    ${
      data.sessions > 0
        ? html`<form method="post" action="${localPath(`${base}/sessions/end`, locale)}">
            <button type="submit" id="end-sessions">${b.endSessions}</button>
          </form>`
        : ''
    }
    ${
      live
        ? html`<h2 id="disable-h">${b.disableTitle}</h2>
            <p class="help">${b.disableHelp}</p>
            <form method="post" action="${localPath(`${base}/disable`, locale)}">
              <button type="submit" id="disable-user">${b.disableButton}</button>
            </form>`
        : ''
    }`;
  return renderPage(ctx, user.displayName ?? user.name, content, { wide: true });
}
