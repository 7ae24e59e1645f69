import type { EscalationReason } from '@ticket0/contracts';
import type { Concept } from './lexicon.js';

/** The reasons a rule may give; the others (ai_uncertain, ai_unavailable, unsafe_output) come from the model's side. */
export type RuleReason = Extract<
  EscalationReason,
  'human_requested' | 'financial_dispute' | 'legal_compliance' | 'data_privacy' | 'distress_urgent'
>;

/**
 * One way a message shows that a person is needed, as data: the concepts that must all be
 * present (each group: any one of its concepts), how close together, what rules it out.
 * The words behind each concept live in the per-language lexicons, so a rule works the same
 * in every language that has words for its concepts.
 */
export interface EscalationRule {
  /** Stable id, stored with the offer and shown in the console. */
  id: string;
  reason: RuleReason;
  /** What the rule recognises, in words an operator reads in the console. */
  description: string;
  /** Every group must be found; any concept of a group will do. */
  all: Concept[][];
  /** The groups' matches must fit in this many words (first to last). */
  within?: number;
  /** …and in one sentence. */
  sameSentence?: boolean;
  /** …and in the order of the groups ("I want a manager", not "a manager, give me the address"). */
  inOrder?: boolean;
  /** Concepts whose negated use does not count ("I don't want a human"). */
  negatable?: Concept[];
  /** Does not fire when any of these is in the message. */
  unless?: Concept[];
  /** The message must consist of nothing else than these concepts and the groups' ("agent", "human please"). */
  wholeMessageWith?: Concept[];
}

const PERSON: Concept[] = ['HUMAN', 'STAFF'];
const ANYONE: Concept[] = ['HUMAN', 'STAFF', 'SOMEONE'];

/** In priority order: the first rule that fires gives the reason. */
export const ESCALATION_RULES: readonly EscalationRule[] = [
  // Legal: a process under way or threatened is for people, never for the assistant.
  {
    id: 'legal.proceedings',
    reason: 'legal_compliance',
    description: 'Legal action, threatened or under way: suing, a lawsuit, court proceedings.',
    all: [['LEGAL_ACTION']],
  },
  {
    id: 'legal.court_document',
    reason: 'legal_compliance',
    description:
      'A legal document received or sent: subpoena, court order, warrant, formal notice.',
    all: [['LEGAL_DOC']],
  },
  {
    id: 'legal.own_lawyer',
    reason: 'legal_compliance',
    description: "The visitor's own lawyer is, or will be, involved.",
    all: [['ENGAGE'], ['LAWYER']],
    within: 4,
  },
  {
    id: 'legal.report_to_authority',
    reason: 'legal_compliance',
    description: 'A report or complaint to a regulator, consumer-protection body or the police.',
    all: [['REPORT'], ['AUTHORITY']],
    within: 8,
    // A complaint to a data-protection authority is a privacy matter (privacy.authority).
    unless: ['DP_AUTHORITY'],
  },
  {
    id: 'legal.authority_request',
    reason: 'legal_compliance',
    description: 'A letter, request or investigation from an authority, the police or a court.',
    all: [['AUTHORITY'], ['OFFICIAL_CONTACT']],
    within: 8,
    unless: ['DP_AUTHORITY'],
  },
  // Personal data: requests under data-protection law have deadlines and need a person.
  {
    id: 'privacy.named_right',
    reason: 'data_privacy',
    description:
      'A data-protection right by name: right to be forgotten, subject access request, withdrawn consent.',
    all: [['DP_RIGHT']],
  },
  {
    id: 'privacy.law_request',
    reason: 'data_privacy',
    description: 'A request made under a data-protection law (GDPR, RGPD, DSGVO, AVG, LGPD, CCPA).',
    all: [['DP_LAW'], ['REQUEST', 'DELETE', 'CONSENT']],
    within: 12,
    unless: ['HYPOTHETICAL'],
  },
  {
    id: 'privacy.erasure',
    reason: 'data_privacy',
    description: 'A request to delete or erase personal data.',
    all: [['DELETE'], ['PERSONAL_DATA']],
    within: 10,
  },
  {
    id: 'privacy.access',
    reason: 'data_privacy',
    description: 'A question or request about the personal data held on the visitor.',
    all: [['PERSONAL_DATA'], ['ABOUT_ME']],
    within: 8,
  },
  {
    id: 'privacy.breach',
    reason: 'data_privacy',
    description: 'A leak or breach of personal data.',
    all: [['LEAK'], ['PERSONAL_DATA']],
    within: 8,
  },
  {
    id: 'privacy.consent',
    reason: 'data_privacy',
    description: 'Personal data used or shared without consent, or consent withdrawn.',
    all: [['CONSENT'], ['PERSONAL_DATA']],
    within: 12,
  },
  {
    id: 'privacy.authority',
    reason: 'data_privacy',
    description: 'A complaint to, or a letter from, a data-protection authority.',
    all: [['DP_AUTHORITY'], ['REPORT', 'OFFICIAL_CONTACT']],
    within: 8,
  },
  // Money: a disputed payment goes to people who can see the payment.
  {
    id: 'financial.chargeback',
    reason: 'financial_dispute',
    description: 'A chargeback or bank reversal.',
    all: [['CHARGEBACK']],
  },
  {
    id: 'financial.disputed_charge',
    reason: 'financial_dispute',
    description: 'A charge, payment or amount the visitor disputes or calls fraud.',
    all: [['DISPUTE'], ['CHARGE', 'CHARGE_NOUN', 'MONEY', 'INVOICE']],
    within: 10,
  },
  {
    id: 'financial.duplicate_charge',
    reason: 'financial_dispute',
    description: 'Charged twice or more for the same thing.',
    all: [['CHARGE', 'CHARGE_NOUN', 'MONEY'], ['DUPLICATE']],
    within: 6,
    unless: ['HYPOTHETICAL'],
  },
  {
    id: 'financial.unrecognised_charge',
    reason: 'financial_dispute',
    description:
      'A charge the visitor did not order, authorise or recognise, or one taken after cancelling.',
    all: [['CHARGE', 'CHARGE_NOUN', 'MONEY'], ['NOT_MINE']],
    within: 12,
    unless: ['HYPOTHETICAL'],
  },
  {
    id: 'financial.wrong_amount',
    reason: 'financial_dispute',
    description: 'Charged the wrong amount, or more than agreed.',
    all: [['CHARGE', 'MONEY', 'INVOICE'], ['WRONG']],
    within: 8,
    unless: ['HYPOTHETICAL'],
  },
  {
    id: 'financial.charged_more',
    reason: 'financial_dispute',
    description:
      'Charged more than expected: "charged me 1,199 instead of 119", "billed too much".',
    all: [['CHARGE'], ['EXCESS']],
    within: 8,
    unless: ['HYPOTHETICAL'],
  },
  {
    id: 'financial.price_mismatch',
    reason: 'financial_dispute',
    description:
      'Charged an amount other than the one advertised: "charged £120 when the website said £60".',
    all: [['CHARGE'], ['ADVERTISED'], ['MONEY']],
    within: 16,
    unless: ['HYPOTHETICAL'],
  },
  {
    id: 'financial.overcharged',
    reason: 'financial_dispute',
    description: 'Overcharged.',
    all: [['OVERCHARGE']],
    unless: ['HYPOTHETICAL'],
  },
  {
    id: 'financial.bank_reversal',
    reason: 'financial_dispute',
    description: 'The bank or card issuer is asked to reverse, block or claim back a payment.',
    all: [['BANK'], ['REVERSE']],
    within: 10,
  },
  // Distress: despair alone is answered kindly; despair with urgency or high stakes goes to a person.
  {
    id: 'distress.severe',
    reason: 'distress_urgent',
    description: 'Talk of suicide or self-harm.',
    all: [['SEVERE']],
  },
  {
    id: 'distress.urgent',
    reason: 'distress_urgent',
    description: 'Distress together with urgency.',
    all: [['DISTRESS', 'CRY'], ['URGENCY']],
    negatable: ['DISTRESS', 'URGENCY'],
  },
  {
    id: 'distress.stakes',
    reason: 'distress_urgent',
    description: 'Distress together with something serious at stake (health, job, home, stranded).',
    all: [['DISTRESS', 'CRY'], ['STAKES']],
    negatable: ['DISTRESS'],
  },
  // A person, asked for.
  {
    id: 'human.real_person',
    reason: 'human_requested',
    description: 'Asks for a real, live person rather than the assistant.',
    all: [['HUMAN_STRONG']],
  },
  {
    id: 'human.contact_person',
    reason: 'human_requested',
    description: 'Wants to talk to, reach or be put through to a person.',
    all: [['CONTACT'], ANYONE],
    within: 12,
    sameSentence: true,
    negatable: ['CONTACT'],
    unless: ['LANGUAGE_NAME'],
  },
  {
    id: 'human.wish_person',
    reason: 'human_requested',
    description: 'A wish for a person: "I want a human", "get me a manager".',
    all: [['WISH'], PERSON],
    within: 5,
    inOrder: true,
    negatable: ['WISH'],
  },
  {
    id: 'human.person_acts',
    reason: 'human_requested',
    description: 'Asks for a person to look at, check or call back about their case.',
    all: [ANYONE, ['ACT']],
    within: 9,
    sameSentence: true,
    negatable: ['ACT'],
  },
  {
    id: 'human.instead_of_bot',
    reason: 'human_requested',
    description:
      'Contrasts the assistant with a person: "the bot does not understand, an operator please".',
    all: [['BOT'], PERSON],
    within: 14,
  },
  {
    id: 'human.bare',
    reason: 'human_requested',
    description:
      'The whole message names a person: "agent", "human please", "customer service representative".',
    all: [PERSON],
    wholeMessageWith: ['POLITE', 'WISH'],
  },
];
