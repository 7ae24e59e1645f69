/**
 * Marks a stylesheet in the source: plain CSS text, no `${…}`. The build minifies what this
 * tag holds (scripts/minify-templates.mjs). A string rather than Lit's `css`, so the
 * launcher stage needs no Lit.
 */
export const css = (strings: TemplateStringsArray): string => strings.join('');

/**
 * Adds stylesheets to a shadow root. Constructed sheets where supported: a page's strict
 * Content-Security-Policy (`style-src 'self'`) blocks `<style>` elements but not these.
 */
export function adoptStyles(root: ShadowRoot, styles: readonly string[]): void {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheets = styles.map((text) => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      return sheet;
    });
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...sheets];
  } else {
    for (const text of styles) {
      const style = document.createElement('style');
      style.textContent = text;
      root.append(style);
    }
  }
}
