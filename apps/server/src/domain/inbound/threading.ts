/**
 * Which ticket a customer's mail belongs to, from its headers alone. Mail clients quote the
 * Message-ID they answer in In-Reply-To and append it to References; people also keep the
 * `[#12]` we put in our subjects. No IMAP, no database: the caller looks the ids up.
 */

/** Message-IDs as stored: without angle brackets, trimmed, at most 300 characters. */
export function normaliseMessageId(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const match = /<([^<>\s]+)>/.exec(raw);
  const id = (match ? match[1]! : raw.trim()).slice(0, 300);
  return id && !/\s/.test(id) ? id : null;
}

/** Every Message-ID a header holds (References lists many, separated by space or folding). */
export function messageIdsIn(raw: string | string[] | null | undefined): string[] {
  if (!raw) return [];
  const text = Array.isArray(raw) ? raw.join(' ') : raw;
  const ids = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!.slice(0, 300));
  if (ids.length === 0) {
    for (const part of text.split(/\s+/)) if (part.includes('@')) ids.push(part.slice(0, 300));
  }
  return ids;
}

/**
 * The Message-IDs a reply points at, most telling first: In-Reply-To (what it answers), then
 * References from the newest back. At most 50, so a crafted header cannot make us look up
 * thousands.
 */
export function replyCandidates(inReplyTo: string | string[] | null | undefined, references: string | string[] | null | undefined): string[] {
  const ordered = [...messageIdsIn(inReplyTo), ...messageIdsIn(references).reverse()];
  return [...new Set(ordered)].slice(0, 50);
}

/** The ticket number in a subject such as "Re: Your order [#12]"; the last one wins. */
export function ticketReferenceIn(subject: string | null | undefined): number | null {
  if (!subject) return null;
  const matches = [...subject.matchAll(/\[#(\d{1,9})\]/g)];
  const last = matches.at(-1);
  if (!last) return null;
  const id = Number(last[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** The bare address in "Name <a@b>" (or the input), lower-case. */
export function bareAddress(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
}
