import type { Occurrence, Reading, SmallTalkLexicon } from './lexicon.js';
import { readIn, readMessage, type DetectOptions, type ReadMessage } from './detect.js';
import type { Language } from './normalise.js';

/**
 * What a small-talk message is. Greetings, thanks ("that solved it") and goodbyes get a kind
 * reply in the visitor's language without a knowledge-base lookup, a model or an offer; a
 * bare acknowledgement ("ok", "great") may answer the assistant's own question, so it still
 * goes to the model, but never earns an "I don't know" offer.
 */
export type SmallTalkKind =
  'greeting' | 'thanks' | 'goodbye' | 'thanks_goodbye' | 'acknowledgement';

export interface SmallTalk {
  kind: SmallTalkKind;
  language: Language;
  /** The kind reply, in the visitor's language; null for an acknowledgement (the model answers it). */
  reply: string | null;
}

/** Longer messages carry a question or a story, even when they start with "thanks". */
const MAX_SMALL_TALK_WORDS = 16;

type Part = keyof SmallTalkLexicon;
const PARTS: Part[] = ['greeting', 'thanks', 'resolved', 'goodbye', 'ack', 'filler'];

/** Whether every word of the message is small talk in this reading, and which kinds it holds. */
function readSmallTalk(reading: Reading): Set<Part> | null {
  const covered = new Array<boolean>(reading.tokens.length).fill(false);
  const found = new Set<Part>();
  for (const part of PARTS) {
    const hits: Occurrence[] = reading.find(reading.lexicon.smallTalk[part]);
    if (hits.length && part !== 'filler') found.add(part);
    for (const hit of hits) for (let i = hit.start; i < hit.end; i++) covered[i] = true;
  }
  return covered.every(Boolean) && found.size ? found : null;
}

function kindOf(parts: Set<Part>): SmallTalkKind {
  const thanks = parts.has('thanks') || parts.has('resolved');
  if (thanks && parts.has('goodbye')) return 'thanks_goodbye';
  if (thanks) return 'thanks';
  if (parts.has('goodbye')) return 'goodbye';
  if (parts.has('greeting')) return 'greeting';
  return 'acknowledgement';
}

/** The message as small talk, or null when it asks or says anything else. */
export function detectSmallTalk(
  text: string,
  options: DetectOptions = {},
  read?: ReadMessage,
): SmallTalk | null {
  const message = read ?? readMessage(text, options);
  if (!message.tokens.length || message.tokens.length > MAX_SMALL_TALK_WORDS) return null;
  // Most likely language first; "ok" or "super" fits several, and the first wins.
  for (const language of message.ranked) {
    const reading =
      message.readings.find((r) => r.language === language) ?? readIn(message.tokens, language);
    const parts = readSmallTalk(reading);
    if (!parts) continue;
    const kind = kindOf(parts);
    const replies = reading.lexicon.lexicon.replies;
    const reply =
      kind === 'acknowledgement'
        ? null
        : kind === 'thanks_goodbye'
          ? replies.thanksGoodbye
          : replies[kind];
    return { kind, language: reading.language, reply };
  }
  return null;
}
