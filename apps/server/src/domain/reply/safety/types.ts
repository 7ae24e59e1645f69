/** The shapes every safety rule and its callers share. */

export type SafetyRuleName =
  | 'prompt_leak'
  | 'role_override'
  | 'foreign_personal_data'
  | 'promised_compensation'
  | 'legal_commitment'
  | 'ungrounded_fact'
  | 'disallowed_link'
  | 'abusive_language';

export interface SafetyContext {
  /** Texts the answer may quote facts from: published public KB passages shown to the model, and (only for a verified session) the verified customer's data block. */
  groundingTexts: string[];
  /** Secrets that must never be echoed: the system prompt, lessons, internal notes. Matching is fuzzy enough to catch a verbatim or lightly reformatted leak of any distinctive line (e.g. normalised whitespace/case, n-gram overlap of ≥ ~8 consecutive words), without flagging ordinary phrases. */
  secrets: string[];
  /** Email addresses/phone numbers/identifiers the visitor may see: the verified customer's own, and those that appear in groundingTexts. */
  allowedContacts?: string[];
  /** Domains links may point to (the site's own, PUBLIC_URL's host, help centre); subdomains included. */
  allowedLinkDomains: string[];
}

export interface SafetyRule {
  name: SafetyRuleName;
  description: string;
  /** null = pass; otherwise a short reason naming the offending fragment. */
  check(text: string, context: SafetyContext): string | null;
}

export type SafetyVerdict = { safe: true } | { safe: false; rule: SafetyRuleName; reason: string };

export interface SafetyViolation {
  rule: SafetyRuleName;
  reason: string;
}
