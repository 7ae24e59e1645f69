import type { EscalationReason } from '@ticket0/contracts';

/**
 * The situations in which the assistant hands over to a human without asking the model:
 * they work when no model runs at all. Each rule is data: a reason code and the phrases that
 * trigger it. A rule with `alsoNeeds` fires only when both sets of phrases are present
 * (distress alone is answered kindly; distress with urgency goes to a person).
 */
export interface EscalationRule {
  reason: EscalationReason;
  description: string;
  patterns: RegExp[];
  alsoNeeds?: RegExp[];
}

export const escalationRules: readonly EscalationRule[] = [
  {
    reason: 'legal_compliance',
    description: 'A legal threat or a legal process: lawyers, courts, lawsuits, regulators.',
    patterns: [
      /\b(my|a|our) (lawyer|attorney|solicitor|legal team)\b/,
      /\b(sue|suing|lawsuit|legal action|take (you|this) to court|small claims|class action)\b/,
      /\b(consumer protection|trading standards|ombudsman|regulator)\b/,
      /\b(avocat|anwalt|abogado)\b/,
    ],
  },
  {
    reason: 'data_privacy',
    description: 'A request to see, export or delete personal data, or a data-protection complaint.',
    patterns: [
      /\b(gdpr|ccpa|dsar|data protection|right to be forgotten|right of access|subject access)\b/,
      /\b(delete|erase|remove|wipe)\b[^.?!]{0,40}\b(my (personal )?(data|information|details|account)|everything you (have|know|store))\b/,
      /\b(what|which) (personal )?data (do )?you (have|hold|store|keep)\b/,
      /\b(data (breach|leak)|leaked my)\b/,
      /\b(supprimer mes donn[ée]es|meine daten l[öo]schen|borrar mis datos)\b/,
    ],
  },
  {
    reason: 'financial_dispute',
    description: 'A payment dispute: chargebacks, double or unauthorised charges, fraud.',
    patterns: [
      /\b(chargeback|charge back|dispute (the|this|a) (charge|payment|transaction))\b/,
      /\b(charged (me )?(twice|double|two times)|double(-| )charged|duplicate (charge|payment))\b/,
      /\b(unauthori[sz]ed (charge|payment|transaction)|didn'?t authori[sz]e|fraudulent (charge|payment)|fraud)\b/,
      /\b(my bank|credit card company)\b[^.?!]{0,40}\b(dispute|reverse|chargeback|claim)\b/,
    ],
  },
  {
    reason: 'human_requested',
    description: 'The visitor asks for a person.',
    patterns: [
      /\b(talk|speak|chat|connect me|put me through) (to|with) (a |an |some )?(real |live |actual )?(human|person|people|agent|operator|representative|rep|someone|somebody|staff|manager|supervisor)\b/,
      /\b(real|live|actual) (human|person|agent)\b/,
      /\b(human|person|agent|representative) please\b/,
      /^\s*(human|agent|operator|representative)\s*[.!?]*\s*$/,
      /\b(i want|i need|i'd like|can i (get|have)|give me) (a |an )?(human|person|agent|representative|real person)\b/,
      /\b(parler à un humain|un conseiller|mit einem menschen|hablar con (una persona|un humano))\b/,
    ],
  },
  {
    reason: 'distress_urgent',
    description: 'Distress together with urgency.',
    patterns: [
      /\b(desperate|panic(king)?|terrified|scared|distraught|in tears|crying|devastated|at my wits'? end|can'?t cope|breaking down)\b/,
      /\b(please,? (please,? )?help( me)?|help me please|i'?m begging)\b/,
    ],
    alsoNeeds: [
      /\b(urgent(ly)?|emergency|asap|right now|immediately|today|tonight|life or death|running out of time|as soon as possible)\b/,
    ],
  },
];

export interface EscalationTrigger {
  reason: EscalationReason;
  description: string;
}

/** The first rule the visitor's message triggers, or null. Order above is priority. */
export function detectEscalation(text: string): EscalationTrigger | null {
  const normalised = text.normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ');
  for (const rule of escalationRules) {
    const hit = rule.patterns.some((pattern) => pattern.test(normalised));
    if (hit && (!rule.alsoNeeds || rule.alsoNeeds.some((pattern) => pattern.test(normalised)))) {
      return { reason: rule.reason, description: rule.description };
    }
  }
  return null;
}
