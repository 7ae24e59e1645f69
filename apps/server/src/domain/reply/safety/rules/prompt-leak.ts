import { prepare, SECRET_RUN } from '../context.js';
import { findPhrase } from '../phrases.js';
import { quote, re, sentenceStart, tokenize, viewsOf } from '../text.js';
import type { SafetyRule, SafetyContext } from '../types.js';

const LEAK_DISCLOSURES = [
  re(
    String.raw`\bmy\s+(?:(?:full|complete|exact|entire|system|initial|original|hidden|secret|internal|base|core|current|standing|actual|real)\s+){0,2}(?:prompt|instructions|guidelines|directives|rules|programming|configuration|lessons|system message|orders)\s+(?:say|says|said|state|states|are|is|tell|tells|told|include|includes|read|reads|were|was|contain|contains|go|goes|specify|specifies|require|requires|instruct|forbid|forbids)\b`,
  ),
  re(
    String.raw`\bhere\s+(?:is|are)\s+(?:my\s+(?:(?:full|complete|exact|entire|system|initial|original|hidden|secret|internal)\s+){0,2}(?:prompt|instructions|guidelines|directives|rules|system message|configuration|lessons|notes)|the\s+(?:(?:full|complete|exact|entire)\s+)?(?:system prompt|system message|system instructions|hidden instructions|original instructions|initial instructions|internal notes|lessons|instructions i was given|rules i follow))\b`,
  ),
  re(
    String.raw`\b(?:i\s+(?:was|am|have been|had been|have|got)\s+(?:been\s+)?|i\s+)(?:told|instructed|programmed|configured|prompted|ordered|directed|briefed)\s+(?:to|not to|never|always|that)\b`,
  ),
  re(
    String.raw`\b(?:according to|as per|per|based on|following|in line with)\s+(?:my\s+(?:(?:system|internal|hidden|original)\s+)?(?:instructions|guidelines|prompt|system prompt|rules|programming|lessons|internal notes|notes)|the\s+(?:system prompt|internal notes|lessons|hidden instructions|system instructions))\b`,
  ),
  re(
    String.raw`\b(?:the|my)\s+(?:system prompt|system message|hidden instructions|internal notes?|lessons)\s+(?:say|says|state|states|reads?|contains?|includes?|is|are|tells? me)\b`,
  ),
  re(String.raw`\b(?:begin|start|end)\s+of\s+(?:the\s+)?(?:system\s+)?(?:prompt|instructions)\b`),
  re(String.raw`(?:^|\n)\s*(?:\[?system\]?|<\|?system\|?>|###\s*system)\s*:`),
  re(String.raw`<<\s*sys\s*>>|\[inst\]|<\|im_start\|>`),
  // French, German, Spanish.
  re(
    String.raw`\b(?:voici|ce sont)\s+(?:mes|les)\s+(?:instructions|consignes|regles|directives)\b|\bmes\s+(?:instructions|consignes|regles)\s+(?:sont|disent|indiquent|stipulent|precisent)\b|\bon m'?a (?:dit|demande|ordonne|indique) de\b`,
  ),
  re(
    String.raw`\bhier\s+(?:sind|ist)\s+(?:meine|die)\s+(?:anweisungen|systemanweisungen|regeln|instruktionen|system-?prompt)\b|\bmeine\s+(?:anweisungen|regeln|instruktionen)\s+(?:sind|lauten|sagen)\b|\bmir wurde (?:gesagt|aufgetragen|befohlen|angewiesen)\b`,
  ),
  re(
    String.raw`\b(?:estas|aqui)\s+(?:son|estan|tienes)\s+(?:mis|las)\s+(?:instrucciones|reglas|directrices)\b|\bmis\s+instrucciones\s+(?:son|dicen|indican)\b|\bme (?:dijeron|indicaron|ordenaron|programaron) que\b`,
  ),
];

/** Mentions that are harmless in a refusal ("I can't share my system prompt"). */
const LEAK_MENTIONS = [
  re(
    String.raw`\b(?:my|the|your|this)\s+(?:system prompt|system message|system instructions|hidden instructions|initial instructions|original instructions|developer instructions|secret instructions|internal instructions|internal notes?|prompt instructions)\b|\b(?:mon|le) prompt(?: systeme)?\b|\bsystem-?prompt\b`,
  ),
];

function checkPromptLeak(text: string, context: SafetyContext): string | null {
  const views = viewsOf(text);
  const prepared = prepare(context);
  for (const reading of [views.folded, ...views.deleet, views.rot13, ...views.decoded]) {
    const words = tokenize(reading).map((t) => t.text);
    for (let i = 0; i + SECRET_RUN <= words.length; i++) {
      const gram = words.slice(i, i + SECRET_RUN).join(' ');
      if (prepared.secretRuns.has(gram))
        return `repeats the assistant's instructions: ${quote(gram)}`;
    }
    const line = ` ${words.join(' ')} `;
    const segment = prepared.secretSegments.find((s) => line.includes(` ${s} `));
    if (segment) return `repeats the assistant's instructions: ${quote(segment)}`;
  }
  const disclosed = findPhrase(LEAK_DISCLOSURES, views, prepared);
  if (disclosed) return `talks about its instructions: ${disclosed}`;
  const mentioned = findPhrase(LEAK_MENTIONS, views, prepared, {
    excuse: (folded, match) =>
      /\b(?:not|never|unable|no)\b[^.!?\n]*$/.test(
        folded.slice(sentenceStart(folded, match.index), match.index),
      ),
  });
  return mentioned ? `talks about its instructions: ${mentioned}` : null;
}

export const promptLeak: SafetyRule = {
  name: 'prompt_leak',
  description:
    'Repeats the system prompt, a lesson or an internal note (any 8 consecutive words, or a whole distinctive line, after normalising case, spacing, homoglyphs, leetspeak, ROT13 and base64), or talks about its instructions ("my instructions say", "I was told to never", "here is my system prompt").',
  check: checkPromptLeak,
};
