/**
 * Mail that must never open a ticket nor get an answer: auto-replies, bounce reports, our
 * own outgoing mail coming back, and senders on the block list. Answering any of them is how
 * two robots end up mailing each other forever. Plain rules over headers; no IMAP.
 */

/** Header names lower-case, values as text (first occurrence). */
export type HeaderLookup = (name: string) => string | null;

/** Why a message is automatic, or null when a person seems to have written it. */
export function autoReplyReason(header: HeaderLookup, from: string, contentType: string | null): string | null {
  const autoSubmitted = header('auto-submitted');
  // RFC 3834: anything but "no" was sent by a machine.
  if (autoSubmitted && autoSubmitted.trim().toLowerCase() !== 'no') return `Auto-Submitted: ${autoSubmitted.trim().slice(0, 60)}`;
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-response-suppress-me']) {
    if (header(name) !== null) return `${name} header`;
  }
  const precedence = header('precedence')?.trim().toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (header('list-id') !== null || header('list-unsubscribe') !== null) return 'mailing list';
  const type = (contentType ?? header('content-type') ?? '').toLowerCase();
  if (type.includes('multipart/report') || type.includes('message/delivery-status')) return 'delivery report';
  const local = from.toLowerCase().split('@')[0] ?? '';
  if (/^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)(\+.*)?$/.test(local)) return `sent by ${local}`;
  const returnPath = header('return-path');
  if (returnPath !== null && /^\s*<\s*>\s*$/.test(returnPath)) return 'empty Return-Path (a bounce)';
  return null;
}

/** True when `from` is our own sending address (MAIL_FROM). */
export function isOwnAddress(from: string, mailFrom: string): boolean {
  const own = (/<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom).trim().toLowerCase();
  return from.trim().toLowerCase() === own;
}

/**
 * The block-list entry `from` matches: an exact address, or `@domain` (which also covers
 * its subdomains). Null when none does.
 */
export function blockedBy(from: string, patterns: readonly string[]): string | null {
  const address = from.trim().toLowerCase();
  const domain = address.split('@').pop() ?? '';
  for (const raw of patterns) {
    const pattern = raw.trim().toLowerCase();
    if (!pattern) continue;
    if (pattern.startsWith('@')) {
      const blocked = pattern.slice(1);
      if (domain === blocked || domain.endsWith(`.${blocked}`)) return raw;
    } else if (address === pattern) {
      return raw;
    }
  }
  return null;
}

/** A block-list entry as stored: `someone@example.com` or `@example.com`, lower-case; null if neither. */
export function normaliseBlockPattern(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  if (value.length > 320) return null;
  if (/^@[a-z0-9.-]+\.[a-z]{2,}$/.test(value)) return value;
  if (/^[^\s@]+@[a-z0-9.-]+\.[a-z]{2,}$/.test(value)) return value;
  return null;
}
