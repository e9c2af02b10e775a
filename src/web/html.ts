const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ESCAPES[char]);
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
        <style>
          body {
            font-family: 'Noto Sans CJK JP', 'Hiragino Sans', 'Yu Gothic', sans-serif;
            margin: 0;
            color: #1f2933;
            background: #f7f8fa;
            line-height: 1.6;
          }
          header {
            background: #1d4e89;
            color: #fff;
            padding: 0.8rem 1.5rem;
            display: flex;
            justify-content: space-between;
            align-items: center;
            gap: 1rem;
            flex-wrap: wrap;
          }
          header a {
            color: #fff;
          }
          header nav a {
            margin-right: 1rem;
          }
          main {
            max-width: 48rem;
            margin: 2rem auto;
            background: #fff;
            padding: 1.5rem 2rem;
            border-radius: 6px;
            box-shadow: 0 1px 3px rgba(0, 0, 0, 0.1);
          }
          main.wide {
            max-width: 72rem;
          }
          a {
            color: #1d4e89;
          }
          a:focus,
          button:focus,
          input:focus,
          select:focus,
          textarea:focus,
          summary:focus {
            outline: 3px solid #f0b429;
            outline-offset: 2px;
          }
          label {
            display: block;
            font-weight: bold;
            margin-bottom: 0.3rem;
          }
          input[type='password'],
          input[type='text'],
          input[type='number'],
          select,
          textarea {
            padding: 0.4rem 0.5rem;
            font-size: 1rem;
            border: 1px solid #9aa5b1;
            border-radius: 4px;
            box-sizing: border-box;
            font-family: inherit;
          }
          input[type='password'],
          textarea {
            width: 100%;
          }
          input[type='number'] {
            width: 7rem;
            text-align: right;
          }
          table input[type='number'] {
            width: 5.5rem;
          }
          button {
            margin-top: 1rem;
            padding: 0.5rem 1.2rem;
            font-size: 1rem;
            background: #1d4e89;
            color: #fff;
            border: 0;
            border-radius: 4px;
            cursor: pointer;
          }
          button.secondary {
            background: #fff;
            color: #1d4e89;
            border: 1px solid #1d4e89;
          }
          button:disabled {
            background: #9aa5b1;
            cursor: not-allowed;
          }
          .error {
            color: #b00020;
            font-weight: bold;
          }
          .help {
            color: #52606d;
            font-size: 0.9rem;
          }
          dl {
            display: grid;
            grid-template-columns: max-content 1fr;
            gap: 0.3rem 1rem;
          }
          dd {
            margin: 0;
          }
          table {
            border-collapse: collapse;
            margin: 0.5rem 0 1rem;
          }
          th,
          td {
            border: 1px solid #cbd2d9;
            padding: 0.3rem 0.6rem;
            text-align: left;
          }
          td.num,
          th.num {
            text-align: right;
            font-variant-numeric: tabular-nums;
          }
          thead th,
          tfoot th,
          tfoot td {
            background: #f0f4f8;
          }
          thead th,
          .nowrap {
            white-space: nowrap;
          }
          .pager {
            display: flex;
            gap: 1rem;
            margin: 1rem 0;
          }
          fieldset {
            border: 1px solid #cbd2d9;
            border-radius: 4px;
            display: inline-block;
            max-width: 100%;
            box-sizing: border-box;
          }
          legend {
            font-weight: bold;
            padding: 0 0.3rem;
          }
          caption {
            text-align: left;
            font-weight: bold;
            padding-bottom: 0.3rem;
          }
          .sr-only {
            position: absolute;
            width: 1px;
            height: 1px;
            padding: 0;
            margin: -1px;
            overflow: hidden;
            clip: rect(0, 0, 0, 0);
            white-space: nowrap;
            border: 0;
          }
          .badge {
            display: inline-block;
            white-space: nowrap;
            font-size: 0.8rem;
            padding: 0.05rem 0.5rem;
            border-radius: 999px;
            border: 1px solid currentColor;
            margin-left: 0.4rem;
            font-weight: bold;
            vertical-align: middle;
          }
          .badge.prefilled {
            color: #1d6b35;
          }
          .badge.changed {
            color: #8a5300;
          }
          .badge.manual {
            color: #3e4c59;
          }
          .badge.confirmed {
            color: #1d4e89;
          }
          .badge.s-submitted {
            color: #1d6b35;
          }
          .badge.s-returned,
          .badge.s-overdue {
            color: #b00020;
          }
          .badge.s-in_progress {
            color: #1d4e89;
          }
          .badge.s-not_opened {
            color: #52606d;
          }
          .alert {
            padding: 0.7rem 1rem;
            border-radius: 4px;
            margin: 1rem 0;
            border-left: 5px solid;
          }
          .alert.warn {
            background: #fff8e1;
            border-color: #f0b429;
          }
          .alert.danger {
            background: #fdecea;
            border-color: #b00020;
          }
          .alert.ok {
            background: #e8f5e9;
            border-color: #1d6b35;
          }
          section.question {
            border-top: 1px solid #e4e7eb;
            padding: 1rem 0;
          }
          section.question h3 {
            margin: 0 0 0.5rem;
            font-size: 1.05rem;
          }
          .value {
            font-size: 1.2rem;
            font-weight: bold;
            font-variant-numeric: tabular-nums;
          }
          .was {
            display: block;
            font-size: 0.8rem;
            color: #8a5300;
            font-weight: normal;
          }
          ul.findings {
            list-style: none;
            padding: 0;
          }
          ul.findings li {
            margin: 0.5rem 0;
            padding: 0.5rem 0.8rem;
            border-radius: 4px;
          }
          ul.findings li.error {
            background: #fdecea;
            color: #b00020;
            font-weight: normal;
          }
          ul.findings li.query {
            background: #fff8e1;
          }
          .field-error {
            color: #b00020;
            font-weight: bold;
            margin: 0.3rem 0;
          }
          .actions {
            display: flex;
            gap: 1rem;
            flex-wrap: wrap;
            align-items: flex-start;
          }
          .actions form button,
          form.inline button {
            margin-top: 0.3rem;
          }
          details {
            margin: 0.5rem 0;
          }
          summary {
            cursor: pointer;
            white-space: nowrap;
            color: #1d4e89;
            font-weight: bold;
            display: inline-block;
            padding: 0.3rem 0.8rem;
            border: 1px solid #1d4e89;
            border-radius: 4px;
          }
          details[open] > summary {
            margin-bottom: 0.5rem;
          }
          details > form {
            padding: 0.5rem 1rem;
            border-left: 3px solid #cbd2d9;
          }
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html>`.html;
}
