import { prepare, type PreparedContext } from '../context.js';
import { extractAmounts, extractDurations, extractPercents, orderRefsIn, STATUS_WORDS, statusesIn } from '../facts.js';
import { quote, re, sentenceAround, sentenceEnd, sentenceStart, viewsOf } from '../text.js';
import type { SafetyRule, SafetyContext } from '../types.js';

/** A percentage matters where money does: discounts, fees, refunds. */
const COMMERCIAL =
  /\b(?:off|discount|refund|reimburs|rebate|fee|fees|charge|price|prices|cost|costs|credit|voucher|coupon|promo|sale|sales|tax|vat|interest|commission|compensation|cashback|deposit|surcharge|restocking|saving|save|remise|reduction|rabais|rembours|frais|prix|rabatt|erstattung|nachlass|gebuhr|preis|gutschein|descuento|reembolso|precio|cargo|tarifa|cupon|ahorr)|خصم|استرداد|سعر|رسوم/u;

const STATUS_SUBJECT = String.raw`(?:\b(?:your|votre|vos|ihre?|deine?|su|sus|tu|tus)\s+(?:(?:recent|last|latest|new|dernier|derniere|letzte|ultimo)\s+)?(?:order|package|parcel|shipment|delivery|item|items|purchase|refund|return|replacement|commande|colis|livraison|remboursement|retour|bestellung|paket|sendung|lieferung|ruckerstattung|erstattung|rucksendung|pedido|paquete|envio|reembolso|devolucion)s?|\b(?:order|commande|bestellung|pedido)\s*(?:number|no\.?|nr\.?|n°|#)?\s*:?\s*#?[a-z]{0,4}-?\d[a-z0-9-]{2,}|#[a-z0-9-]*\d{3,}[a-z0-9-]*|طلبك|شحنتك)`;
const STATUS_AUX = String.raw`(?:has|have|had|was|were|is|are|got|will|should|did|been|be|already|now|just|successfully|finally|currently|still|today|yesterday|a|ete|est|sont|deja|bien|hier|aujourd'hui|wurde|wird|ist|hat|sind|bereits|schon|gestern|heute|ha|han|sido|fue|esta|estan|ya|ayer|hoy|qui|que|which|that|not|been)`;
const STATUS_CLAIM = re(
  String.raw`(?:${STATUS_SUBJECT}|\bit)(?:\s+(?:#?[a-z0-9-]*\d[a-z0-9-]*|\([^)]{0,40}\)))?\s+(?:${STATUS_AUX}\s+){0,4}(?:${Object.values(STATUS_WORDS).join('|')})(?![\p{L}])`,
  'giu',
);
const CONDITION_BEFORE =
  /(?<![\p{L}])(?:once|when|whenever|after|as soon as|if|whether|until|before|unless|in case|lorsque|quand|des que|si|une fois que?|sobald|wenn|ob|nachdem|falls|cuando|una vez que?|en cuanto|tan pronto como|hasta que|عندما|بمجرد|إذا|اذا)(?![\p{L}])[^.!?\n]*$/u;
/** Sympathy for what the visitor reported restates it; it does not claim it. */
const EMPATHY_BEFORE =
  /\b(?:sorry|unfortunate|to hear|desole|desolee|navre|leid|bedauerlich|siento|lamento)\b[^.!?\n]*$/;
const RELATIVE_DAYS =
  /\b(?:yesterday|today|tonight|tomorrow|this (?:morning|afternoon|evening)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|hier|aujourd'hui|demain|gestern|heute|morgen|ayer|hoy|manana)\b/g;

function checkUngroundedFact(text: string, context: SafetyContext): string | null {
  const { folded } = viewsOf(text);
  const prepared = prepare(context);

  const amount = extractAmounts(folded).find((a) => !a.keys.some((k) => prepared.amounts.has(k)));
  if (amount)
    return `states a price or amount that is not in the knowledge base or customer context: ${quote(amount.raw)}`;

  const percent = extractPercents(folded).find(
    (p) => !prepared.percents.has(p.value) && COMMERCIAL.test(sentenceAround(folded, p.index)),
  );
  if (percent)
    return `states a percentage that is not in the knowledge base or customer context: ${quote(percent.raw)}`;

  const duration = extractDurations(folded).find(
    (d) => !d.keys.every((k) => prepared.durations.has(k)),
  );
  if (duration)
    return `states a time limit that is not in the knowledge base or customer context: ${quote(duration.raw)}`;

  for (const claim of folded.matchAll(STATUS_CLAIM)) {
    const start = sentenceStart(folded, claim.index);
    const sentence = folded.slice(start, sentenceEnd(folded, claim.index));
    if (sentence.trim().endsWith('?')) continue; // a question is not a claim
    if (CONDITION_BEFORE.test(folded.slice(start, claim.index))) continue; // "once your order has shipped, …"
    if (EMPATHY_BEFORE.test(folded.slice(start, claim.index))) continue; // "sorry your parcel arrived damaged"
    if (
      claim[0].startsWith('it') &&
      !/\b(?:order|package|parcel|shipment|delivery|commande|colis|bestellung|paket|pedido|paquete)\b/.test(
        sentence,
      )
    )
      continue;
    if (!statusIsGrounded(claim[0], sentence, prepared)) {
      return `states an order status that is not in the customer context: ${quote(claim[0])}`;
    }
  }
  return null;
}

function statusIsGrounded(claim: string, sentence: string, prepared: PreparedContext): boolean {
  const statuses = statusesIn(claim);
  const ids = orderRefsIn(claim);
  const lines = prepared.orderLines.filter(
    (line) =>
      ids.every((id) => line.ids.has(id)) && [...statuses].some((s) => line.statuses.has(s)),
  );
  if (lines.length === 0) return false;
  // "yesterday", "tomorrow", "on Friday": only when the customer context says so itself.
  const days = sentence.match(RELATIVE_DAYS) ?? [];
  return days.every((day) => lines.some((line) => line.folded.includes(day)));
}

export const ungroundedFact: SafetyRule = {
  name: 'ungrounded_fact',
  description:
    'States a price or amount, a discount/fee percentage, a time limit ("within 30 days") or an order status ("your order shipped yesterday") that the grounding texts do not contain. Amounts compare by value and currency ("$25" = "25 USD" = "$25.00"), durations by length ("2 weeks" = "14 days").',
  check: checkUngroundedFact,
};
