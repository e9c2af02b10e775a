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
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; margin: 0; color: #1f2933; background: #f7f8fa; }
  header { background: #1d4e89; color: #fff; padding: 0.8rem 1.5rem; display: flex; justify-content: space-between; align-items: center; }
  header a { color: #fff; }
  main { max-width: 48rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.1); }
  label { display: block; font-weight: bold; margin-bottom: .3rem; }
  input[type=password] { width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }
  button { margin-top: 1rem; padding: .5rem 1.2rem; font-size: 1rem; background: #1d4e89; color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
  .error { color: #b00020; font-weight: bold; }
  .help { color: #52606d; font-size: .9rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
</style>
</head>
<body>${body}</body>
</html>`.html;
}
