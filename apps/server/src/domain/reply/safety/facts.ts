import { identifierKey } from './contacts.js';
import { re } from './text.js';

/**
 * The facts a reply may state only when the grounding texts state them too: amounts (by
 * value and currency), percentages, durations (by length) and order statuses. Read the same
 * way from a reply and from the grounding texts, so they compare.
 */

const CURRENCIES: Array<[RegExp, string]> = [
  [/^(?:us\$|ca\$|a\$|au\$|nz\$|\$|usd|cad|aud|nzd|dollars?)$/, 'DOLLAR'],
  [/^(?:€|eur|euros?)$/, 'EUR'],
  [/^(?:£|gbp)$/, 'GBP'],
  [/^(?:¥|jpy|yen)$/, 'JPY'],
  [/^(?:chf|francs?)$/, 'CHF'],
  [/^(?:₹|inr|rupees?)$/, 'INR'],
];
const NUMBER = String.raw`\d{1,3}(?:[ ,.']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const AMOUNT_BEFORE = re(
  String.raw`(?<![\p{L}\p{N}])(us\$|ca\$|a\$|au\$|nz\$|\$|€|£|¥|₹|usd|eur|gbp|chf|cad|aud|nzd|jpy|inr)\s?(${NUMBER})(?![\p{N}])`,
  'giu',
);
const AMOUNT_AFTER = re(
  String.raw`(?<![\p{L}\p{N}.,])(${NUMBER})\s?(\$|€|£|¥|₹|usd|eur|gbp|chf|cad|aud|nzd|jpy|inr|dollars?|euros?|francs?|yen|rupees?)(?![\p{L}])`,
  'giu',
);

/** The values a written number may mean ("1.000" is a thousand in Germany and one elsewhere). */
function numberValues(raw: string): number[] {
  const text = raw.replace(/\s/g, ' ');
  if (/^\d+$/.test(text)) return [Number(text)];
  const last = Math.max(
    text.lastIndexOf('.'),
    text.lastIndexOf(','),
    text.lastIndexOf(' '),
    text.lastIndexOf("'"),
  );
  const head = text.slice(0, last).replace(/[^\d]/g, '');
  const tail = text.slice(last + 1);
  const separator = text[last]!;
  const values = [];
  if (tail.length === 3) values.push(Number(head + tail));
  if (tail.length <= 3 && (separator === '.' || separator === ','))
    values.push(Number(`${head}.${tail}`));
  return values;
}

function currencyOf(raw: string): string {
  const lower = raw.toLowerCase();
  return CURRENCIES.find(([pattern]) => pattern.test(lower))?.[1] ?? lower;
}

interface FoundFact {
  raw: string;
  index: number;
  keys: string[];
}

export function extractAmounts(folded: string): FoundFact[] {
  const found: FoundFact[] = [];
  for (const m of folded.matchAll(AMOUNT_BEFORE)) {
    const currency = currencyOf(m[1]!);
    found.push({
      raw: m[0],
      index: m.index,
      keys: numberValues(m[2]!).map((v) => `${currency}:${Math.round(v * 100)}`),
    });
  }
  for (const m of folded.matchAll(AMOUNT_AFTER)) {
    if (found.some((f) => m.index >= f.index && m.index < f.index + f.raw.length)) continue;
    const currency = currencyOf(m[2]!);
    found.push({
      raw: m[0],
      index: m.index,
      keys: numberValues(m[1]!).map((v) => `${currency}:${Math.round(v * 100)}`),
    });
  }
  return found;
}

export const PERCENT =
  /(?<![\p{L}\p{N}.,])(\d+(?:[.,]\d+)?)\s?(?:%|٪|percent\b|per cent\b|pour ?cent\b|prozent\b|por ciento\b)/gu;

export function extractPercents(folded: string): Array<{ raw: string; index: number; value: number }> {
  return [...folded.matchAll(PERCENT)].map((m) => ({
    raw: m[0],
    index: m.index,
    value: Number(m[1]!.replace(',', '.')),
  }));
}

const NUMBER_WORDS: Record<string, number> = Object.fromEntries(
  (
    'two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11 twelve:12 ' +
    'fourteen:14 fifteen:15 twenty:20 thirty:30 sixty:60 ninety:90 deux:2 trois:3 quatre:4 ' +
    'cinq:5 sept:7 huit:8 neuf:9 dix:10 douze:12 quatorze:14 quinze:15 vingt:20 trente:30 ' +
    'soixante:60 zwei:2 drei:3 vier:4 funf:5 sechs:6 sieben:7 acht:8 neun:9 zehn:10 zwolf:12 ' +
    'vierzehn:14 funfzehn:15 zwanzig:20 dreissig:30 dreißig:30 sechzig:60 neunzig:90 dos:2 ' +
    'tres:3 cuatro:4 cinco:5 seis:6 siete:7 ocho:8 nueve:9 diez:10 doce:12 catorce:14 ' +
    'quince:15 veinte:20 treinta:30 sesenta:60 noventa:90'
  )
    .split(' ')
    .map((entry) => entry.split(':'))
    .map(([word, value]) => [word!, Number(value)]),
);
const UNITS: Array<[string, RegExp, number]> = [
  ['min', /^(?:minutes?|mins?|minuten|minutos?|دقيقة|دقائق)$/u, 1],
  ['min', /^(?:hours?|hrs?|heures?|stunden?|horas?|ساعة|ساعات)$/u, 60],
  ['min', /^(?:days?|jours?|tagen?|tage|werktagen?|werktage|dias?|يوم|يوما|ايام)$/u, 1440],
  ['min', /^(?:weeks?|semaines?|wochen?|semanas?|اسبوع|اسبوعا|اسابيع)$/u, 10080],
  ['mo', /^(?:months?|mois|monaten?|monate|meses|mes|شهر|شهرا|اشهر)$/u, 1],
  ['mo', /^(?:years?|yrs?|ans?|annees?|jahren?|jahre|anos?|سنة|سنوات|عام|اعوام)$/u, 12],
];
const NUMBER_OR_WORD = String.raw`\d+(?:[.,]\d+)?|${Object.keys(NUMBER_WORDS).join('|')}`;
const UNIT_WORDS = String.raw`minutes?|mins?|minuten|minutos?|hours?|hrs?|heures?|stunden?|horas?|days?|jours?|tagen?|werktagen?|dias?|weeks?|semaines?|wochen?|semanas?|months?|mois|monaten?|meses|mes|years?|yrs?|ans|annees?|jahren?|anos?|دقيقة|دقائق|ساعة|ساعات|يوما|يوم|ايام|اسبوعا|اسبوع|اسابيع|شهرا|شهر|اشهر|سنة|سنوات|عام|اعوام`;
const DURATION = re(
  String.raw`(?<![\p{L}\p{N}.,])(${NUMBER_OR_WORD})(?:\s?(?:-|to|or|and|a|bis|y|o|et|und|oder|ou|ou a|et)\s?(${NUMBER_OR_WORD}))?\s?-?\s?(?:(?:business|working|calendar|full|consecutive|more|extra|further)\s)?(${UNIT_WORDS})(?![\p{L}])`,
  'giu',
);

export function extractDurations(folded: string): FoundFact[] {
  const found: FoundFact[] = [];
  for (const m of folded.matchAll(DURATION)) {
    const unit = UNITS.find(([, pattern]) => pattern.test(m[3]!));
    if (!unit) continue;
    const numbers = [m[1]!, m[2]]
      .filter((n): n is string => n !== undefined)
      .map((n) => NUMBER_WORDS[n] ?? Number(n.replace(',', '.')));
    found.push({
      raw: m[0],
      index: m.index,
      keys: numbers.map((n) => `${unit[0]}:${n * unit[2]}`),
    });
  }
  return found;
}

export type StatusClass =
  | 'shipped'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'cancelled'
  | 'refunded'
  | 'processing'
  | 'delayed'
  | 'returned'
  | 'arriving';

export const STATUS_WORDS: Record<StatusClass, string> = {
  shipped: String.raw`shipped|dispatched|sent out|sent|posted|mailed|handed (?:over )?to the (?:carrier|courier)|expediee?s?|envoyee?s?|versandt|verschickt|versendet|abgeschickt|enviad[oa]s?|despachad[oa]s?|تم شحن|شحن`,
  in_transit: String.raw`on its way|on the way|in transit|en route|en chemin|en transit|en cours d'acheminement|unterwegs|en camino|en transito`,
  out_for_delivery: String.raw`out for delivery|en cours de livraison|in (?:der )?zustellung|en reparto`,
  delivered: String.raw`delivered|arrived|livree?s?|arrivee?s?|zugestellt|geliefert|angekommen|entregad[oa]s?|llegad[oa]|تم التسليم|تم توصيل`,
  cancelled: String.raw`cancell?ed|annulee?s?|storniert|cancelad[oa]s?`,
  refunded: String.raw`refunded|reimbursed|remboursee?s?|erstattet|zuruckerstattet|reembolsad[oa]s?`,
  processing: String.raw`processing|being processed|being prepared|being packed|packed|confirmed|approved|received|ready to ship|en preparation|en cours de preparation|in bearbeitung|bearbeitet|en proceso|preparando|confirmad[oa]`,
  delayed: String.raw`delayed|late|lost|stuck|held at customs|retardee?s?|en retard|perdue?s?|verspatet|verloren|retrasad[oa]s?|perdid[oa]s?`,
  returned: String.raw`returned|retournee?s?|zuruckgesendet|devuelt[oa]s?`,
  arriving: String.raw`(?:will|should|is going to|is expected to|is scheduled to|is due to)\s+(?:arrive|be delivered|reach you|get to you)\s+(?:tomorrow|today|tonight|this (?:afternoon|evening|week)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|the end of (?:the )?(?:day|week)))`,
};
const STATUS_PATTERNS = Object.entries(STATUS_WORDS).map(
  ([status, words]) =>
    [status as StatusClass, re(String.raw`(?<![\p{L}])(?:${words})(?![\p{L}])`)] as const,
);

export function orderRefsIn(folded: string): string[] {
  const refs =
    folded.match(
      re(
        String.raw`#\s?[a-z0-9-]*\d[a-z0-9-]*|\b(?:order|commande|bestellung|pedido)\s*(?:number|no\.?|nr\.?|n°|#)?\s*:?\s*#?[a-z]{0,4}-?\d[a-z0-9-]{2,}`,
        'giu',
      ),
    ) ?? [];
  return refs.map((ref) =>
    identifierKey(
      ref.replace(/^(?:order|commande|bestellung|pedido)\s*(?:number|no\.?|nr\.?|n°)?/i, ''),
    ),
  );
}

export function statusesIn(folded: string): Set<StatusClass> {
  return new Set(
    STATUS_PATTERNS.filter(([, pattern]) => pattern.test(folded)).map(([status]) => status),
  );
}
