const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/**
 * The HTML twin of a plain-text email: paragraphs and line breaks, every character escaped,
 * no remote content. The text part stays the source of truth.
 */
export function textToHtml(text: string, footer?: string): string {
  const paragraphs = text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const foot = footer
    ? `\n<hr style="border:none;border-top:1px solid #ddd">\n<p style="color:#666;font-size:13px">${escapeHtml(footer).replace(/\n/g, '<br>')}</p>`
    : '';
  return `<!doctype html>
<html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:15px;line-height:1.5;color:#1d1d1f">
${paragraphs}${foot}
</body></html>`;
}
