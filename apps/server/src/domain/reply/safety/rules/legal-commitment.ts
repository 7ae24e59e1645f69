import { prepare } from '../context.js';
import { findPhrase } from '../phrases.js';
import { re, viewsOf } from '../text.js';
import type { SafetyRule, SafetyContext } from '../types.js';

const LAWS = String.raw`(?:the\s+)?(?:gdpr|uk gdpr|rgpd|dsgvo|ccpa|cpra|lopd|data protection act|consumer rights act|consumer (?:protection |rights )?(?:law|laws|act|regulations?|directive|code)|eu (?:law|directive|regulation)|european (?:union )?law|(?:[a-z]+\s+)?law|article\s+\d+\w*(?:\s+(?:of\s+)?(?:the\s+)?(?:gdpr|rgpd|dsgvo))?|section\s+\d+\w*|(?:civil|commercial|consumer) code)`;

const LEGAL = [
  re(
    String.raw`\b(?:we|i|the company|our company|[a-z]+ (?:ltd|inc|gmbh|sas|sarl|sl|llc))\s+(?:(?:hereby|fully|formally|officially|do|will|would|can|must|therefore|also|readily)\s+){0,2}(?:accept|admit|acknowledge|assume|take|bear)s?\s+(?:(?:full|all|complete|total|the|legal|any|sole|our|entire)\s+){0,3}(?:liability|responsibility|fault|blame|legal responsibility)\b`,
  ),
  re(
    String.raw`\b(?:we are|i am|the company is)\s+(?:(?:fully|legally|entirely|clearly|solely)\s+)*(?:liable|at fault|responsible for (?:the|any|all|your) (?:damage|damages|loss|losses|injury|injuries|harm))\b`,
  ),
  re(
    String.raw`\blegally binding\b|\bbinding (?:agreement|contract|commitment|promise|offer|obligation)\b|\b(?:this|our) (?:chat|conversation|message|reply|answer|statement|email) (?:is|constitutes|serves as|counts as|is considered) (?:a |an |our )?(?:legal|binding|formal|written|official) (?:agreement|contract|commitment|guarantee|promise|confirmation)\b|\bconsider this (?:a |an |my |our )?(?:written |formal |official |legal )?(?:guarantee|contract|commitment|legal confirmation)\b`,
  ),
  re(
    String.raw`\blegally\s+(?:obliged|obligated|required|responsible|liable|entitled|speaking)\b|\bas a (?:legal|lawyer|matter of law)\b|\bmy legal (?:advice|opinion)\b|\bhere is (?:some |my )?legal advice\b`,
  ),
  re(
    String.raw`\b(?:you\s+(?:(?:should|could|can|may|might|must|need to|ought to|have every right to|want to|may want to|might want to|would be (?:within your rights|right) to)\s+)+|i\s+(?:would\s+)?(?:strongly\s+)?(?:recommend|suggest|advise|encourage)(?:\s+(?:that\s+)?you)?(?:\s+to)?\s+|i advise you to\s+|my advice is to\s+|feel free to\s+|go ahead and\s+|do not hesitate to\s+|(?:it is\s+)?best to\s+|consider\s+)(?:(?:definitely|seriously|simply|just|also|immediately)\s+)?(?:sue|suing|take (?:legal action|(?:us|them|the \w+|this|it|the matter) to court)|taking (?:legal action|(?:us|them) to court)|file (?:a )?(?:lawsuit|legal claim|claim in (?:the )?small claims(?: court)?|small claims claim|chargeback|complaint with (?:the )?(?:regulator|ombudsman|authorities|court|police))|initiate (?:a )?chargeback|open a chargeback|dispute the (?:charge|payment) with your bank|report (?:us|them) to (?:the )?(?:police|authorities|regulator)|press charges|get a lawyer involved)\b`,
  ),
  re(
    String.raw`\b(?:under|according to|per|pursuant to|in accordance with|in line with|as per)\s+${LAWS}\b[^.!?\n]{0,100}?\byou\s+(?:(?:are|have|can|may|will|would|could|must|also|legally)\s+){1,2}(?:be\s+)?(?:legally\s+)?(?:entitled|owed|eligible|able to (?:claim|demand|sue|get|obtain|recover)|the right|a right|a legal right|the legal right|claim|demand|sue|recover)\b`,
  ),
  re(
    String.raw`\byou\s+(?:are|have|would be)\s+(?:legally|statutorily)\s+(?:entitled|owed|eligible)\b|\byou\s+have\s+(?:a|the)\s+(?:legal|statutory)\s+right\b|\byou\s+(?:are|would be)\s+entitled\s+(?:to\s+[^.!?\n]{0,60}\s+)?(?:under|by)\s+${LAWS}\b|\byour\s+(?:legal|statutory)\s+rights?\s+(?:entitle|mean|give|allow|guarantee)|\bby law,?\s+(?:you|we)\s+(?:are|have|must|owe)\b`,
  ),
  re(
    String.raw`\b(?:i|we)\s+(?:(?:can|will|do|hereby|personally|fully|absolutely|also|100%|100 %)\s+){0,3}(?:guarantee|warrant|certify|give you my word|swear)\b|\b(?:is|are|it is)\s+(?:100%\s+|fully\s+|absolutely\s+)?guaranteed\b`,
  ),
  // French, German, Spanish
  re(
    String.raw`\bjuridiquement contraignant|\b(?:nous|je)\s+(?:(?:reconnaissons|acceptons|assumons|reconnais|accepte|assume)\s+)(?:l'?entiere\s+|toute la\s+|notre\s+|la\s+|pleine\s+)*responsabilite\b|\bje vous (?:le )?garantis\b|\bnous (?:vous )?garantissons\b|\bvous devriez (?:porter plainte|nous poursuivre|saisir (?:le tribunal|la justice)|engager des poursuites)`,
  ),
  re(
    String.raw`\brechtsverbindlich|\brechtlich bindend|\bwir (?:ubernehmen|akzeptieren|erkennen) (?:die |volle |jede |die volle )?(?:haftung|verantwortung)\b|\bich garantiere\b|\bwir garantieren\b|\bsie sollten (?:uns )?(?:verklagen|klagen|rechtliche schritte)`,
  ),
  re(
    String.raw`\blegalmente vinculante|\b(?:aceptamos|asumimos|reconocemos) (?:toda |la |nuestra |plena |total )*responsabilidad\b|\b(?:le|te) garantizo\b|\bgarantizamos\b|\bdeberia (?:demandar(?:nos)?|denunciar(?:nos)?|ir a juicio)`,
  ),
];

function checkLegalCommitment(text: string, context: SafetyContext): string | null {
  const found = findPhrase(LEGAL, viewsOf(text), prepare(context), { allowQuotes: true });
  return found ? `makes a legal commitment or gives legal advice: ${found}` : null;
}

export const legalCommitment: SafetyRule = {
  name: 'legal_commitment',
  description:
    'Makes a legal commitment or gives legal advice: accepting liability, "legally binding", "I guarantee", advising to sue or charge back, telling the visitor what the law entitles them to. Verbatim quotations of the knowledge base pass.',
  check: checkLegalCommitment,
};
