import { STYLESHEET_URL } from './assets.js';
import { textOf } from '../common/text-of.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return textOf(value).replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** Tagged template that escapes every interpolated value unless it is already `SafeHtml`. */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0];
  values.forEach((value, index) => {
    const text = Array.isArray(value)
      ? value.map((item) => (item instanceof SafeHtml ? item.html : escapeHtml(item))).join('')
      : value instanceof SafeHtml
        ? value.html
        : escapeHtml(value);
    out += text + strings[index + 1];
  });
  return new SafeHtml(out);
}

export function page(lang: string, title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="${STYLESHEET_URL}" />
      </head>
      <body>
        ${body}
      </body>
    </html>`.html;
}
