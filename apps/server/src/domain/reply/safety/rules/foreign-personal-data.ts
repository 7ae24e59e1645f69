import { extractEmails, extractIdentifiers, extractPhones, longDigitRuns, phoneTail } from '../contacts.js';
import { prepare } from '../context.js';
import { quote, viewsOf } from '../text.js';
import type { SafetyRule, SafetyContext } from '../types.js';

function checkForeignPersonalData(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const prepared = prepare(context);
  for (const reading of [views.plain, ...views.decoded]) {
    const email = extractEmails(reading).find((e) => !prepared.emails.has(e.value));
    if (email)
      return `names an email address that is not the verified customer's: ${quote(email.value)}`;
    const phone = extractPhones(reading).find((p) => !prepared.phoneTails.has(phoneTail(p)));
    if (phone)
      return `names a phone number that is not the verified customer's: ${quote(phone.value)}`;
  }
  const id = extractIdentifiers(views.plain).find((i) => !prepared.identifiers.has(i.key));
  if (id) return `names an identifier that is not the verified customer's: ${quote(id.raw)}`;
  const digits = longDigitRuns(views.plain).find(
    (d) => !prepared.phoneTails.has(phoneTail(d)) && !prepared.identifiers.has(d.value),
  );
  if (digits) return `names a number that is not the verified customer's: ${quote(digits.value)}`;
  return null;
}

export const foreignPersonalData: SafetyRule = {
  name: 'foreign_personal_data',
  description:
    "Names an email address, phone number or order/tracking/account identifier that is neither the verified customer's own (allowedContacts) nor in the grounding texts.",
  check: checkForeignPersonalData,
};
