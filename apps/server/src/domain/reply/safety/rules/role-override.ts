import { prepare } from '../context.js';
import { findPhrase } from '../phrases.js';
import { quote, re, viewsOf } from '../text.js';
import type { SafetyRule, SafetyContext } from '../types.js';

const ROLE_OVERRIDES = [
  re(
    String.raw`\bdan mode\b|\b(?:developer|god|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|opposite|sudo|admin|dan)\s+mode\s+(?:is\s+)?(?:now\s+)?(?:enabled|activated|engaged|unlocked|on|active)\b|\b(?:entering|entered|now in|switching to|switched to|activating)\s+(?:developer|god|jailbreak|unrestricted|unfiltered|dan|admin)\s+mode\b`,
  ),
  re(String.raw`\bjailbr(?:eak|oken|eaking)\b`),
  re(
    String.raw`\b(?:ignoring|disregarding|overriding|bypassing|forgetting|dropping|ignore|disregard|override|bypass|forget|drop)\s+(?:all\s+)?(?:of\s+)?(?:my|the|your|these|those|any|all)?\s*(?:previous|prior|earlier|above|original|initial|old|system|safety|standard|usual|default|current)?\s*(?:instructions|rules|guidelines|restrictions|prompt|programming|directives|policies|filters|guardrails|safeguards)\b`,
  ),
  re(
    String.raw`\bi\s+(?:am|have been)\s+(?:now\s+)?(?:free|freed|released|liberated|unshackled)\s+(?:from|of)\b|\b(?:i have|there are)\s+no\s+(?:rules|restrictions|limits|limitations|guidelines|filters|guardrails)\b|\bwithout\s+(?:my|any)\s+(?:rules|guidelines|filters|guardrails|programming|censorship)\b`,
  ),
  re(
    String.raw`\b(?:my|all|the ai'?s?|safety|content)\s+(?:rules|filters|guardrails|restrictions|guidelines|safeguards)\s+(?:have been|are|were)\s+(?:now\s+)?(?:lifted|removed|disabled|turned off|deactivated|bypassed|suspended|gone)\b`,
  ),
  re(
    String.raw`\b(?:new|updated)\s+(?:instructions|rules|system prompt|directives|persona)\s+(?:accepted|acknowledged|received|applied|loaded|activated)\b|\binstructions?\s+(?:accepted|acknowledged|overridden)\b`,
  ),
  re(
    String.raw`\bstay(?:ing)?\s+in\s+character\b|\b(?:in|playing)\s+(?:the\s+)?(?:role|character|persona)\s+of\b|\bi\s+am\s+no\s+longer\s+(?:bound|restricted|limited|an?\s+(?:assistant|ai))\b`,
  ),
  re(
    String.raw`\b(?:sure|ok|okay|understood|alright|of course|done)\W+i\s+(?:will|can|shall)\s+(?:now\s+)?(?:ignore|disregard|forget|bypass|override)\b`,
  ),
  re(
    String.raw`\b(?:ignor\w*|oubli\w*|ignorier\w*|vergess\w*|olvid\w*)\s+(?:toutes\s+|alle\s+|todas\s+)?(?:mes|les|vos|meine|die|ihre|mis|las|sus|tus)\s+(?:\w+\s+)?(?:instructions|consignes|regles|anweisungen|regeln|instrucciones|reglas)\b`,
  ),
];

/** The uppercase persona names jailbreaks use; "Dan" the customer is left alone. */
const PERSONA_NAMES =
  /(?:^|\n|\s)(?:DAN|STAN|DUDE)\s*:|\b(?:I am|I'm|as|As)\s+(?:DAN|STAN|DUDE)\b/u;

function checkRoleOverride(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const persona = PERSONA_NAMES.exec(views.plain);
  if (persona) return `speaks as a jailbreak persona: ${quote(persona[0])}`;
  const found = findPhrase(ROLE_OVERRIDES, views, prepare(context), { allowQuotes: true });
  return found ? `claims its rules no longer apply: ${found}` : null;
}

export const roleOverride: SafetyRule = {
  name: 'role_override',
  description:
    'Claims its rules no longer apply or speaks as a jailbreak persona ("DAN mode enabled", "ignoring my previous instructions", "I have no restrictions").',
  check: checkRoleOverride,
};
