import { re } from './text.js';

/**
 * Email addresses, phone numbers and order, tracking or account identifiers in a text: what
 * the foreign_personal_data rule looks for, and what the context allows (the verified
 * customer's own, and those the grounding texts name).
 */

export interface Found {
  value: string;
  index: number;
}

export function extractEmails(plain: string): Found[] {
  const found: Found[] = [];
  for (const m of plain.matchAll(
    /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}/gu,
  )) {
    found.push({ value: m[0].toLowerCase().replace(/^[._-]+/, ''), index: m.index });
  }
  const spelled =
    /(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}._%+-]+)\s*(?:\[at\]|\(at\)|\{at\}|\s+at\s+)\s*((?:[\p{L}\p{N}-]+\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*)+\p{L}{2,})\b/giu;
  for (const m of plain.matchAll(spelled)) {
    const domain = m[2]!.replace(/\s*(?:\[dot\]|\(dot\)|\{dot\}|\s+dot\s+)\s*/giu, '.');
    found.push({ value: `${m[1]}@${domain}`.toLowerCase(), index: m.index });
  }
  return found;
}

export function extractPhones(plain: string): Found[] {
  const found: Found[] = [];
  for (const m of plain.matchAll(
    /(?<![\p{L}\p{N}.,])(?:\+|00)?\d(?:[ .\-()/]{0,2}\d){7,15}(?![\p{L}\p{N}])/gu,
  )) {
    const raw = m[0].trim();
    const digits = raw.replace(/\D/g, '');
    if (digits.length < 8 || digits.length > 15) continue;
    if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(raw)) continue; // a date
    if (/^\d{1,2}[.:]\d{2}\s?-\s?\d{1,2}[.:]\d{2}$/.test(raw)) continue; // opening hours
    const before = plain.slice(Math.max(0, m.index - 2), m.index);
    const after = plain.slice(m.index + m[0].length, m.index + m[0].length + 5);
    if (/[$€£¥₹]/.test(before) || /^\s?(?:[$€£¥₹]|usd|eur|gbp)/i.test(after)) continue; // an amount
    found.push({ value: raw, index: m.index });
  }
  return found;
}

/** Digit runs of 8+ inside longer tokens (tracking numbers) count as phone-like numbers too. */
export function longDigitRuns(plain: string): Found[] {
  return [...plain.matchAll(/\d{8,}/g)].map((m) => ({ value: m[0], index: m.index }));
}

export function phoneTail(found: Found): string {
  return found.value.replace(/\D/g, '').slice(-8);
}

interface FoundIdentifier {
  key: string;
  raw: string;
  index: number;
}

const ID_KEYWORD = String.raw`(?:order|orders|commande|bestellung|pedido|tracking|invoice|facture|rechnung|factura|account|customer|client|kunden?|ticket|reference|ref|referenz|referencia|parcel|package|shipment|colis|paket|paquete|envio|envoi|sendung)`;

export function extractIdentifiers(plain: string): FoundIdentifier[] {
  const found: FoundIdentifier[] = [];
  const add = (raw: string, index: number) => {
    const key = identifierKey(raw);
    if ((key.match(/\d/g)?.length ?? 0) >= 3) found.push({ key, raw, index });
  };
  for (const m of plain.matchAll(/#\s?([\p{L}\p{N}][\p{L}\p{N}-]*\d[\p{L}\p{N}-]*)/gu))
    add(m[1]!, m.index);
  const keyword = re(
    String.raw`\b${ID_KEYWORD}\s*(?:number|no\.?|nr\.?|n°|num(?:ber|ero|éro|mer)?|id|code|#)?\s*[:#]?\s*([A-Za-z]{0,5}-?\d[A-Za-z0-9-]{2,})`,
    'giu',
  );
  for (const m of plain.matchAll(keyword)) add(m[1]!, m.index);
  for (const m of plain.matchAll(/\b(?:[A-Z]{1,5}-\d{3,}[A-Z0-9]*|[A-Z]{2,5}\d{4,})\b/g))
    add(m[0], m.index);
  for (const m of plain.matchAll(/(?<![\p{L}\p{N}])[A-Za-z0-9]{8,}(?![\p{L}\p{N}])/gu)) {
    if (/[A-Za-z]/.test(m[0]) && (m[0].match(/\d/g)?.length ?? 0) >= 5) add(m[0], m.index);
  }
  return found;
}

export function identifierKey(raw: string): string {
  return raw.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Every word-ish run of a text, as an identifier key: what grounding may name. */
export function identifierWords(plain: string): string[] {
  return (plain.match(/[\p{L}\p{N}]+(?:[-_/.][\p{L}\p{N}]+)*/gu) ?? []).flatMap((w) => [
    identifierKey(w),
    ...w.split(/[-_/.]/).map(identifierKey),
  ]);
}
