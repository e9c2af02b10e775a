import { DomainError, type ErrorDeclaration } from '../common/domain-error.js';

export const REPORT_ERRORS = [
  {
    code: 'REPORT_TEMPLATE_FORBIDDEN',
    status: 403,
    meaning: 'The caller’s role may not render this template (a school: its own profile only)',
  },
  {
    code: 'REPORT_RUN_NOT_DONE',
    status: 409,
    meaning: 'The every-school run is not done yet: its zip comes when it is',
  },
  {
    code: 'REPORT_RUN_EXPIRED',
    status: 410,
    meaning: 'The run’s zip was removed after its retention (SHIRUBE_REPORTS_RETENTION_DAYS): render the reports again',
  },
  {
    code: 'REPORT_PRINTER_UNAVAILABLE',
    status: 503,
    meaning: 'The Chromium that prints PDFs is missing or does not start (CHROME_PATH)',
  },
  {
    code: 'REPORT_TEMPLATE_INVALID',
    status: 500,
    meaning: 'A template reads a table its data does not give: a fault of the template, not of the request',
  },
] as const satisfies readonly ErrorDeclaration[];

export const templateForbidden = (message: string) => new DomainError('REPORT_TEMPLATE_FORBIDDEN', message);
export const runNotDone = (id: string, status: string) =>
  new DomainError('REPORT_RUN_NOT_DONE', `report run ${id} is ${status}; its zip is ready when it is done`);
export const runExpired = (id: string) =>
  new DomainError(
    'REPORT_RUN_EXPIRED',
    `report run ${id} is expired: its zip was removed after the retention period (SHIRUBE_REPORTS_RETENTION_DAYS); render the reports again`,
  );
export const printerUnavailable = (message: string) => new DomainError('REPORT_PRINTER_UNAVAILABLE', message);
export const templateInvalid = (message: string) => new DomainError('REPORT_TEMPLATE_INVALID', message);
