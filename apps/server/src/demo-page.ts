import { RIGHT_TO_LEFT, SERVER_TEXTS, type ServerLocale } from './lib/i18n/index.js';

/**
 * The page at `/`: a stand-in customer site that embeds the widget exactly as a real one
 * would, with one script tag and one element, under a strict Content Security Policy. Like
 * a real site it speaks the visitor's language (from `Accept-Language`), and its `lang` is
 * what the widget follows.
 */
export function demoPage(locale: ServerLocale = 'en'): string {
  const t = SERVER_TEXTS[locale].demo;
  const dir = RIGHT_TO_LEFT.has(locale) ? ' dir="rtl"' : '';
  return `<!doctype html>
<html lang="${locale}"${dir}>
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${t.title}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/demo.css" />
    <script type="module" src="/widget.js"></script>
  </head>
  <body>
    <header><strong>${t.shop}</strong> <a href="/admin/">${t.consoleLink}</a></header>
    <main>
      <h1>${t.heading}</h1>
      <p>${t.intro}</p>
      <pre dir="ltr" translate="no"><code>&lt;script type="module" src="https://your-server/widget.js"&gt;&lt;/script&gt;
&lt;ticket0-chat&gt;&lt;/ticket0-chat&gt;</code></pre>
    </main>
    <ticket0-chat></ticket0-chat>
  </body>
</html>
`;
}

/** Deliberately heavy-handed host styles: the widget must look the same regardless. */
export const DEMO_CSS = `
body { font-family: Georgia, serif; margin: 0; color: #222; background: #faf7f2; }
header { display: flex; justify-content: space-between; padding: 1rem 2rem; background: #2d2a26; color: #fff; }
header a { color: #ffd27a; }
main { max-width: 42rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.6; }
pre { background: #fff; padding: 1rem; overflow-x: auto; border: 1px solid #ddd; }
button { background: hotpink !important; font-size: 30px; }
* { letter-spacing: 0.02em; }
`;
