import { abusiveLanguage } from './rules/abusive-language.js';
import { disallowedLink } from './rules/disallowed-link.js';
import { foreignPersonalData } from './rules/foreign-personal-data.js';
import { legalCommitment } from './rules/legal-commitment.js';
import { promisedCompensation } from './rules/promised-compensation.js';
import { promptLeak } from './rules/prompt-leak.js';
import { roleOverride } from './rules/role-override.js';
import { ungroundedFact } from './rules/ungrounded-fact.js';
import type { SafetyRule } from './types.js';

/**
 * Every rule an AI reply passes, in the order they are asked: the first that fires names the
 * verdict. The most serious harms (leaks, other people's data) come first so an operator
 * reading a suppressed reply sees the worst thing it did.
 */
export const safetyRules: readonly SafetyRule[] = Object.freeze([
  promptLeak,
  roleOverride,
  foreignPersonalData,
  promisedCompensation,
  legalCommitment,
  ungroundedFact,
  disallowedLink,
  abusiveLanguage,
]);
