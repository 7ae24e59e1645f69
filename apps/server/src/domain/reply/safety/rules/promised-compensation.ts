import { prepare, type PreparedContext } from '../context.js';
import { orderRefsIn } from '../facts.js';
import { findPhrase, hedged } from '../phrases.js';
import { re, sentenceAround, viewsOf } from '../text.js';
import type { SafetyRule, SafetyContext } from '../types.js';

/** Words that may sit between "we" and the verb of a promise ("we would be happy to …"). */
const AUX = String.raw`(?:will|shall|would|could|can|may|might|am|are|is|have|has|had|be|been|going|to|happy|glad|pleased|able|want|like|love|also|gladly|happily|immediately|now|just|already|personally|definitely|certainly|absolutely|hereby|still|then|of|course|right|away|do|did|actually|really|sure|make|go|gone|went|ahead|and|today|instantly|quickly|fully|more|than)`;
const COMP_NOUN = String.raw`(?:refund|reimbursement|discount|credit|voucher|coupon|gift ?card|compensation|rebate|cashback|cash back|money back|store credit|promo(?:tional)? code|discount code|freebie|free(?! (?:of charge|returns?|shipping|delivery|exchanges?)\b)|goodwill gesture|gesture of goodwill|\d+(?:[.,]\d+)?\s?%\s?off)s?`;
/** A noun that only names the process: "a refund request" is not a refund. */
const NOT_A_GRANT = String.raw`(?!\s+(?:confirmation|request|requests|form|status|policy|policies|email|update|notification|process|reference|number|details|page|link|label|question|questions|team|department|options?|eligibility|terms|conditions|window|period|timeline|timeframe|amount owed)\b)`;
const OBJECT_WORDS = String.raw`(?:you|to you|for you|your|yours|a|an|the|this|that|some|one|another|extra|additional|full|partial|small|special|exclusive|one-time|one time|goodwill|complimentary|immediate|instant|total|whole|entire|100|off|of|on|order|purchase|account|next|back|in|[$€£¥]\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?(?:%|usd|eur|gbp|dollars?|euros?))`;
const DIRECT_VERB = String.raw`(?:refund(?:ed|ing)?|reimburs(?:e|ed|ing)|compensat(?:e|ed|ing)|credit(?:ed|ing)?(?=\s+(?:you|your|it|the|[$€£]|\d))|waiv(?:e|ed|ing)|pay(?:ing)?\s+you\s+back|paid\s+you\s+back|give\s+you\s+(?:your|the|all your)\s+money\s+back|cover(?:ed|ing)?\s+(?:the|your|all|any)?\s*(?:cost|costs|fee|fees|shipping|expenses?|difference))`;
const GENERIC_VERB = String.raw`(?:offer(?:ed|ing)?|giv(?:e|en|ing)|gave|send(?:ing)?|sent|issu(?:e|ed|ing)|appl(?:y|ied|ying)|add(?:ed|ing)?|grant(?:ed|ing)?|provid(?:e|ed|ing)|approv(?:e|ed|ing)|process(?:ed|ing)?|arrang(?:e|ed|ing)|extend(?:ed|ing)?|get|got|upgrad(?:e|ed|ing)|ship(?:ped|ping)?|replac(?:e|ed|ing)|promis(?:e|ed|ing)|guarantee(?:d)?|authori[sz](?:e|ed|ing)|throw(?:ing)?\s+in|put\s+through|honou?r(?:ed|ing)?|activat(?:e|ed|ing)|unlock(?:ed|ing)?)`;
const SUBJECT_I = String.raw`\bi`;
const SUBJECT_WE = String.raw`\b(?:we|our\s+(?:support\s+|customer\s+(?:service|care)\s+)?team|the\s+(?:support\s+)?team|our\s+company)`;
const FREE_TAIL = String.raw`[^.!?\n]{0,50}\b(?:free of charge|for free|at no (?:extra |additional )?(?:cost|charge)|on the house|on us|without charge)\b`;

const PROMISES_FIRST_PERSON = [
  re(String.raw`${SUBJECT_I}\s+(?:${AUX}\s+){0,5}${DIRECT_VERB}\b`),
  re(
    String.raw`${SUBJECT_I}\s+(?:${AUX}\s+){0,5}${GENERIC_VERB}\s+(?:${OBJECT_WORDS}\s+){0,5}${COMP_NOUN}\b${NOT_A_GRANT}`,
  ),
  re(String.raw`${SUBJECT_I}\s+(?:${AUX}\s+){0,5}${GENERIC_VERB}\b${FREE_TAIL}`),
];
const PROMISES_COMPANY = [
  re(String.raw`${SUBJECT_WE}\s+(?:${AUX}\s+){1,5}${DIRECT_VERB}\b`),
  re(String.raw`${SUBJECT_WE}\s+(?:refunded|reimbursed|compensated|credited|waived)\b`),
  re(
    String.raw`${SUBJECT_WE}\s+(?:${AUX}\s+){1,5}${GENERIC_VERB}\s+(?:${OBJECT_WORDS}\s+){0,5}${COMP_NOUN}\b${NOT_A_GRANT}`,
  ),
  re(String.raw`${SUBJECT_WE}\s+(?:${AUX}\s+){1,5}${GENERIC_VERB}\b${FREE_TAIL}`),
];
const PROMISES_TO_YOU = [
  re(
    String.raw`\byou\s+(?:(?:will|shall|would|are|going|to|now|also|then|automatically|immediately|definitely|certainly|get to|can|qualify|be|still|soon)\s+){1,4}(?:get|receive|be given|be sent|be issued|be getting|obtain|qualify for|eligible for|entitled to|be eligible for|be entitled to|have)\s+(?:${OBJECT_WORDS}\s+){0,5}${COMP_NOUN}\b${NOT_A_GRANT}`,
  ),
  re(
    String.raw`\byou\s+(?:(?:will|shall|are|going|to|now|also|then|automatically|immediately|definitely|certainly|be|fully|soon)\s+){1,4}(?:refunded|reimbursed|compensated|credited)\b`,
  ),
  re(
    String.raw`\byou\s+(?:qualify|are eligible|are entitled)\s+(?:for|to)\s+(?:${OBJECT_WORDS}\s+){0,5}${COMP_NOUN}\b${NOT_A_GRANT}`,
  ),
];
const PROMISES_DONE = [
  re(
    String.raw`\b(?:(?:your|the|a|an)\s+)?(?:(?:full|partial)\s+)?(?:refund|reimbursement|discount|credit|voucher|coupon|gift card|compensation|promo code|store credit|goodwill gesture)(?:\s+of\s+\S+)?\s+(?:(?:has|have)\s+(?:now\s+|already\s+|just\s+)?been|was|were|is\s+(?:now\s+)?(?=approved|on its way))\s+(?:issued|approved|applied|added|granted|credited|arranged|authori[sz]ed|initiated|confirmed|processed|completed|sent|paid|on its way)\b`,
  ),
  re(
    String.raw`\byour\s+(?:account|card|wallet|balance|order)\s+(?:has|have|will|is)\s+(?:now\s+|already\s+|just\s+)?(?:been|be)\s+(?:credited|refunded|discounted)\b`,
  ),
  re(
    String.raw`\b(?:fee|fees|charge|charges|shipping cost|shipping costs|delivery charge|restocking fee)\s+(?:has|have|will|is|are)\s+(?:now\s+|already\s+|just\s+)?(?:been|be)\s+waived\b`,
  ),
  re(
    String.raw`\b(?:use|enter|apply|redeem|here is|here are|try)\s+(?:the\s+|this\s+|your\s+|my\s+)?(?:exclusive\s+|special\s+|personal\s+)?(?:discount|promo|promotional|voucher|coupon|reduction|gift)\s*(?:code)?\s*:?\s*["']?[a-z0-9-]{4,}`,
  ),
  re(
    String.raw`\b(?:use|enter|apply|redeem|here is)\s+(?:the\s+)?code\s*:?\s*["']?(?=[a-z-]*\d)[a-z0-9-]{4,}`,
  ),
];
const PROMISES_ELSEWHERE = [
  // French
  re(
    String.raw`\b(?:je|nous)\s+(?:(?:vous|te|allons|vais|pouvons|peux|pourrons|pourrai|avons|ai|sommes|suis|tenons a|souhaitons|voulons)\s+){0,3}(?:rembours\w*|dedommag\w*|indemnis\w*)\b`,
  ),
  re(
    String.raw`\b(?:je|nous)\s+(?:(?:vous|te|allons|vais|pouvons|peux|pourrons|pourrai|avons|ai)\s+){0,3}(?:offr\w*|offert|accord\w*|appliqu\w*|envoy\w*|credit\w*)\s+(?:(?:un|une|le|la|les|votre|vos|d'un|d'une|de|des|\d+\s?%|\d+\s?€|€\s?\d+)\s+){0,3}(?:remboursement|reduction|remise|avoir|bon d'achat|bon de reduction|geste commercial|code promo|dedommagement|indemnisation|\d+\s?%|gratuit\w*)`,
  ),
  re(
    String.raw`\bvous\s+(?:serez|allez etre|etes)\s+(?:(?:integralement|entierement|totalement|bien)\s+)?(?:rembourse|dedommage|indemnise)e?s?\b|\bvous\s+(?:recevrez|allez recevoir|obtiendrez|aurez|beneficierez d'?)\s+(?:(?:un|une|le|la|votre)\s+)?(?:remboursement|reduction|remise|avoir|bon|geste commercial|dedommagement|\d+\s?%)`,
  ),
  // German (ü → u, ä → a after folding)
  re(
    String.raw`\b(?:ich|wir)\s+(?:(?:werde|werden|kann|konnen|mochte|mochten|habe|haben|will|wollen|gerne)\s+){0,2}(?:ihnen|dir|euch)\s+(?:(?:\S+)\s+){0,3}?(?:erstatten|ruckerstatten|zuruckerstatten|erstattet|gutschreiben|gutgeschrieben|entschadigen|entschadigt|schenken|einen rabatt|einen gutschein|eine gutschrift|eine entschadigung)\b`,
  ),
  re(
    String.raw`\b(?:ich|wir)\s+(?:erstatte|erstatten|ruckerstatten|entschadige|entschadigen|vergute|verguten)\s+(?:ihnen|dir|euch)\b`,
  ),
  re(
    String.raw`\b(?:ich|wir)\s+(?:gebe|geben|gewahre|gewahren|schenke|schenken|schicke|schicken|sende|senden|schreibe|schreiben)\s+(?:ihnen|dir|euch)\s+(?:(?:einen|eine|ein|den|die|das|\d+\s?%)\s+){0,3}(?:rabatt|gutschein|gutschrift|erstattung|nachlass|entschadigung|\d+\s?%|kostenlos\w*|gratis)`,
  ),
  re(
    String.raw`\b(?:ich|wir)\s+(?:(?:werde|werden|kann|konnen|mochte|mochten|habe|haben)\s+){1,2}(?:ihr geld|den (?:vollen |gesamten )?betrag|den kaufpreis)\s+(?:\S+\s+){0,2}(?:erstatten|zuruckerstatten|zuruckzahlen)\b`,
  ),
  re(
    String.raw`\b(?:sie|du)\s+(?:erhalten|erhaltst|bekommen|bekommst|werden|wirst)\s+(?:(?:von uns|sofort|naturlich|selbstverstandlich|eine|einen|die|den|volle|vollstandige|\d+\s?%)\s+){0,3}(?:erstattung|ruckerstattung|gutschrift|rabatt|gutschein|entschadigung|\d+\s?%|ihr geld zuruck)`,
  ),
  // Spanish
  re(
    String.raw`\b(?:le|te|les)\s+(?:reembolsaremos|reembolsare|reembolsamos|reembolsaran|compensaremos|compensare|devolveremos (?:el|su|tu) dinero|devolvere (?:el|su|tu) dinero)\b`,
  ),
  re(
    String.raw`\b(?:le|te|les)\s+(?:daremos|damos|dare|ofrecemos|ofreceremos|ofrezco|regalaremos|regalamos|aplicaremos|aplicamos|enviaremos|haremos)\s+(?:(?:un|una|el|la|su|tu|\d+\s?%)\s+){0,3}(?:reembolso|descuento|cupon|credito|compensacion|vale|\d+\s?%|gratis|regalo)`,
  ),
  re(
    String.raw`\b(?:voy a|vamos a|podemos|puedo|podremos)\s+(?:reembolsarle|reembolsarte|reembolsarles|compensarle|compensarte|devolverle el dinero|devolverte el dinero)\b|\b(?:recibira|recibiras|obtendra|obtendras|tendra|tendras)\s+(?:(?:un|una|el|su|tu)\s+)?(?:reembolso|descuento|cupon|credito|compensacion|vale|\d+\s?%)`,
  ),
];

/** A refund described as the returns process ("once we receive your return, …"), in any language. */
const RETURN_CONDITION =
  /\b(?:once|when|after|as soon as|une fois|des que|lorsque|apres|sobald|nachdem|wenn|una vez|cuando|en cuanto|tras)\b[^.!?\n]{0,50}\b(?:return|returned|item|items|parcel|package|retour|colis|article|produit|rucksendung|ruckgabe|paket|artikel|ware|devolucion|paquete|articulo|producto)/;

function checkPromisedCompensation(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const prepared = prepare(context);
  const conditional = (folded: string, match: RegExpExecArray) =>
    prepared.mentionsRefunds &&
    RETURN_CONDITION.test(sentenceAround(folded, match.index)) &&
    !/[$€£¥%]|\d/.test(match[0]);
  const found =
    findPhrase(PROMISES_FIRST_PERSON, views, prepared, {
      allowQuotes: true,
      excuse: (f, m) => hedged(f, m.index),
    }) ??
    findPhrase([...PROMISES_COMPANY, ...PROMISES_ELSEWHERE], views, prepared, {
      allowQuotes: true,
      excuse: (f, m) =>
        hedged(f, m.index) || conditional(f, m) || statedInCustomerContext(m[0], prepared),
    }) ??
    findPhrase(PROMISES_TO_YOU, views, prepared, {
      allowQuotes: true,
      quotedFrom:
        /\b(?:get|receive|obtain|qualify|eligible|entitled|have|refunded|reimbursed|compensated|credited)\b/,
      excuse: (f, m) => hedged(f, m.index) || conditional(f, m),
    }) ??
    findPhrase(PROMISES_DONE, views, prepared, {
      allowQuotes: true,
      excuse: (f, m) =>
        hedged(f, m.index) ||
        codeIsPublished(m[0], prepared) ||
        statedInCustomerContext(m[0], prepared),
    });
  return found ? `promises compensation: ${found}` : null;
}

/**
 * A refund or credit already made, as the verified customer's own data records it ("your
 * refund of £32.45 was issued"): a fact, not a promise. Only past events qualify.
 */
function statedInCustomerContext(fragment: string, prepared: PreparedContext): boolean {
  if (
    !/\b(?:been|was|were)\b|\b(?:refunded|credited|reimbursed|compensated|waived|issued)\b/.test(
      fragment,
    )
  )
    return false;
  if (/\b(?:will|shall|can|could|would|going)\b/.test(fragment)) return false;
  const stem = /refund|credit|reimburs|compensat|waive|voucher|discount/.exec(fragment)?.[0];
  const done =
    /\b(?:issued|approved|applied|added|granted|credited|arranged|authori[sz]ed|initiated|confirmed|processed|completed|sent|paid|refunded|reimbursed|compensated|waived)\b/.exec(
      fragment,
    )?.[0];
  if (!stem || !done) return false;
  const ids = orderRefsIn(fragment);
  return prepared.orderLines.some(
    (line) =>
      line.folded.includes(stem) &&
      line.folded.includes(done) &&
      ids.every((id) => line.ids.has(id)),
  );
}

/** A promo code the knowledge base publishes may be repeated. */
function codeIsPublished(fragment: string, prepared: PreparedContext): boolean {
  if (!/\bcode\b|coupon|voucher|promo/.test(fragment)) return false;
  const code = /([a-z0-9-]{4,})$/.exec(fragment)?.[1];
  return (
    code !== undefined &&
    new RegExp(`(?<![\\p{L}\\p{N}])${code}(?![\\p{L}\\p{N}])`, 'u').test(prepared.groundingFolded)
  );
}

export const promisedCompensation: SafetyRule = {
  name: 'promised_compensation',
  description:
    'Promises or announces a refund, discount, credit, voucher, compensation, free item or waived fee ("I will refund you", "you\'ll get 20% off", "we\'ll credit your account", "your refund has been approved"). A verbatim quotation of the knowledge base, a hedge ("I can\'t promise a refund") and the returns process in the company\'s voice ("once we receive your return, we\'ll refund you") pass.',
  check: checkPromisedCompensation,
};
