/**
 * What an operator needs to read of a customer's reply: their new words, without the quoted
 * history their client appended nor their signature. The full text is kept elsewhere; this
 * only decides what the thread shows. No IMAP.
 */

/** Lines that open the quoted history in the common clients (Gmail, Outlook, Apple Mail, Thunderbird). */
const QUOTE_OPENERS: RegExp[] = [
  /^On\b.{0,300}\bwrote:\s*$/i, // Gmail, Apple Mail, Thunderbird (English)
  /^Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^Am\b.{0,300}\bschrieb\b.{0,100}:\s*$/i,
  /^El\b.{0,300}\bescribió:\s*$/i,
  /^Op\b.{0,300}\bschreef\b.{0,100}:\s*$/i,
  /^Il\b.{0,300}\bha scritto:\s*$/i,
  /^Em\b.{0,300}\bescreveu:\s*$/i,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original)\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above its header block
  /^From:\s.+$/i, // Outlook without the rule: From:/Sent:/To: header block
];

/** Lines that open a signature. */
const SIGNATURE_OPENERS: RegExp[] = [
  /^--$/, // the standard delimiter "-- " (RFC 3676), trimmed
  /^Sent from my \w+/i,
  /^Get Outlook for /i,
  /^Envoyé de mon /i,
  /^Von meinem .* gesendet/i,
];

/**
 * The new part of a reply. Falls back to the whole text when trimming would leave nothing
 * (a customer who wrote only below the quote, or only a signature).
 */
export function trimReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // "On … wrote:" is often wrapped over two lines by the client.
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]!.trim()}` : line;
    if (QUOTE_OPENERS.some((re) => re.test(line)) || (/^On\b/i.test(line) && /\bwrote:\s*$/i.test(joined))) {
      if (/^From:/i.test(line) && !isHeaderBlock(lines, i)) continue;
      end = i;
      break;
    }
    if (SIGNATURE_OPENERS.some((re) => re.test(line))) {
      end = i;
      break;
    }
    if (line.startsWith('>') && restIsQuoted(lines, i)) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).join('\n').trim();
  return kept || text.trim();
}

/** A "From:" line followed within a few lines by Sent:/Date:/To:/Subject: — a forwarded header block. */
function isHeaderBlock(lines: string[], from: number): boolean {
  return lines.slice(from + 1, from + 5).some((line) => /^(Sent|Date|To|Subject|Envoyé|Gesendet):\s/i.test(line.trim()));
}

/** True when every non-blank line from `from` on is quoted ("> …"). */
function restIsQuoted(lines: string[], from: number): boolean {
  return lines.slice(from).every((line) => !line.trim() || line.trim().startsWith('>'));
}
