/**
 * The rules that hand a visitor to a person without asking the model. They live in
 * `./escalation/` (normalisation, per-language lexicons, rules as data); this module keeps
 * the names callers already use.
 */
export { detectEscalation, type DetectOptions, type EscalationTrigger } from './escalation/detect.js';
export { ESCALATION_RULES as escalationRules, type EscalationRule } from './escalation/rules.js';
