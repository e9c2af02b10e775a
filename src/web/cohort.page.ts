/**
 * The analyst's cohort page: the saved definitions, the form, and (once run) the result and a form to save
 * the definition as a new version. Everything works without script: the form is a GET, saving a POST.
 */
import type { CohortChoices } from '../cohorts/cohort-choices.js';
import type { SavedCohortView } from '../cohorts/cohorts.service.js';
import type { Page } from '../common/page.js';
import { formQuery, type CohortForm } from './cohort-form.js';
import { fieldLabel, formFieldOf, renderCohortForm } from './cohort-form.page.js';
import { cohortMessagesFor } from './cohort-messages.js';
import { renderCohortResult, type ResultView } from './cohort-result.page.js';
import { formatDateTime } from './format.js';
import { html, type SafeHtml } from './html.js';
import { localPath, renderPage, type PageContext } from './layout.js';
import { renderPager } from './pager.js';

export interface CohortPageView {
  form: CohortForm;
  choices: CohortChoices;
  saved: Page<SavedCohortView>;
  result?: ResultView;
  /** The saved definition the form was opened from (the save form's name). */
  openedFrom?: { name: string; version: number; description: string | null };
  /** Parts of the opened definition the form has no field for. */
  hidden?: string[];
  /** Why the definition did not run or save: the fields (paths the cohort check names), or a refusal's words. */
  problem?: { fields: string[]; text: string; save?: boolean };
  done?: { name: string; version: number };
  /** What was typed into the save form, kept after a refusal. */
  saveDraft?: { name: string; description: string };
}

function savedList(ctx: PageContext, saved: Page<SavedCohortView>): SafeHtml {
  const { locale } = ctx;
  const c = cohortMessagesFor(locale);
  if (saved.total === 0) return html`<p>${c.savedNone}</p>`;
  return html`<table aria-labelledby="saved-h" id="saved">
      <thead>
        <tr>
          <th scope="col">${c.savedName}</th>
          <th scope="col" class="num">${c.savedVersion}</th>
          <th scope="col">${c.savedDescription}</th>
          <th scope="col">${c.savedBy}</th>
          <th scope="col">${c.savedAt}</th>
        </tr>
      </thead>
      <tbody>
        ${saved.items.map(
          (s) =>
            html`<tr>
              <th scope="row">
                <a
                  href="${localPath(`/cohorts/saved/${encodeURIComponent(s.name)}`, locale, {
                    version: String(s.version),
                  })}"
                  aria-label="${c.openSaved(s.name, s.version)}"
                  >${s.name}</a
                >
              </th>
              <td class="num">${s.version}</td>
              <td>${s.description ?? ''}</td>
              <td>${s.createdBy}</td>
              <td>${formatDateTime(s.createdAt, locale)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${renderPager(ctx, saved)}`;
}

function saveForm(ctx: PageContext, view: CohortPageView): SafeHtml {
  const { locale } = ctx;
  const c = cohortMessagesFor(locale);
  const name = view.saveDraft?.name ?? view.openedFrom?.name ?? '';
  const description = view.saveDraft?.description ?? view.openedFrom?.description ?? '';
  const refused = view.problem?.save === true;
  return html`<section aria-labelledby="save-h" id="save">
    <h2 id="save-h">${c.saveTitle}</h2>
    <p class="help" id="save-help">${c.saveHelp}</p>
    <form method="post" action="${localPath('/cohorts/definitions', locale)}">
      ${formQuery(view.form).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}
      <label for="save-name">${c.saveName}</label>
      <input
        type="text"
        id="save-name"
        name="name"
        value="${name}"
        required
        maxlength="80"
        aria-describedby="save-help"
        ${refused ? html`aria-invalid="true"` : ''}
      />
      <label for="save-description">${c.saveDescription}</label>
      <textarea id="save-description" name="description" rows="2" maxlength="2000">${description}</textarea>
      <button type="submit" id="save-submit">${c.saveButton}</button>
    </form>
  </section>`;
}

function problemList(ctx: PageContext, problem: NonNullable<CohortPageView['problem']>): SafeHtml {
  const c = cohortMessagesFor(ctx.locale);
  const fields = [...new Set(problem.fields.map(formFieldOf))];
  return html`<div class="alert danger" role="alert" id="problems">
    <p><strong>${c.problemsTitle}</strong></p>
    <p>${problem.text}</p>
    ${
      fields.length > 0
        ? html`<ul>
            ${fields.map((f) => html`<li><a href="#f-${f}">${fieldLabel(f, c)}</a></li>`)}
          </ul>`
        : ''
    }
  </div>`;
}

export function renderCohortPage(ctx: PageContext, view: CohortPageView): string {
  const { locale } = ctx;
  const c = cohortMessagesFor(locale);
  const problemFields = new Set((view.problem?.fields ?? []).map(formFieldOf));
  const content = html`<h1>${c.title}</h1>
    <p>${c.intro}</p>
    ${
      view.done
        ? html`<p class="alert ok" role="status" id="done">${c.saved(view.done.name, view.done.version)}</p>`
        : ''
    }
    ${view.problem ? problemList(ctx, view.problem) : ''}
    ${view.hidden?.length ? html`<p class="alert warn" id="hidden-parts">${c.hiddenParts}</p>` : ''}
    <section aria-labelledby="saved-h">
      <h2 id="saved-h">${c.savedTitle}</h2>
      ${savedList(ctx, view.saved)}
    </section>
    <section aria-labelledby="form-h">
      <h2 id="form-h">${c.formTitle}</h2>
      ${renderCohortForm(ctx, view.form, view.choices, problemFields)}
    </section>
    ${view.result ? renderCohortResult(ctx, view.result) : ''}
    ${(view.result && !view.hidden?.length) || view.problem?.save ? saveForm(ctx, view) : ''}`;
  return renderPage(ctx, c.title, content, { wide: true });
}
