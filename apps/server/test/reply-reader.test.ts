import { describe, expect, it } from 'vitest';
import { CONFIDENCE_FLOOR, ReplyReader } from '../src/domain/reply/judgement.js';

/** Feeds `pieces` to a reader; returns the answer text it handed out and the verdict. */
function read(pieces: string[]) {
  const reader = new ReplyReader();
  const handed: string[] = [];
  const verdictAt: Array<string | null> = [];
  for (const piece of pieces) {
    handed.push(reader.push(piece));
    verdictAt.push(reader.verdict?.verdict ?? null);
  }
  handed.push(reader.end());
  return { answer: handed.join(''), handed, verdict: reader.verdict, verdictAt };
}

const judgement = '{"can_answer": true, "confidence": 82, "needs_human": false, "reason": "none", ';

describe('reading the structured reply as it streams', () => {
  const answer = 'Café "Lumière" opens at 9 \\ closes at 6.\nTabs\there, emoji 😀, accents é ü ñ, CJK 配送, and \u2028 too.';
  const json = JSON.stringify({ can_answer: true, confidence: 82, needs_human: false, reason: 'none', answer });
  // The same text with every non-ASCII character written as a \u escape, surrogate pairs included.
  const escaped = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

  it.each([
    ['raw characters', json],
    ['\\u escapes', escaped],
  ])('gives back the exact answer wherever the pieces are split (%s)', (_, text) => {
    for (let cut = 1; cut < text.length; cut++) {
      const { answer: read1, verdict } = read([text.slice(0, cut), text.slice(cut)]);
      expect(read1, `split at ${cut}: ${JSON.stringify(text.slice(cut - 3, cut + 3))}`).toBe(answer);
      expect(verdict).toEqual({ verdict: 'answer', confidence: 82 });
    }
  });

  it('never hands out half an escape or half a character, even one character at a time', () => {
    for (const text of [json, escaped]) {
      const { handed } = read([...text].flatMap((c) => (c.length === 2 ? [c[0]!, c[1]!] : [c])));
      let so = '';
      for (const piece of handed) {
        so += piece;
        expect(answer.startsWith(so)).toBe(true);
        expect(/[\ud800-\udbff]$/.test(so)).toBe(false);
      }
      expect(so).toBe(answer);
    }
  });

  it('knows the verdict before the first word of the answer', () => {
    const { verdictAt, handed } = read([judgement, '"answer": "', 'Hello ', 'there."}']);
    expect(verdictAt).toEqual(['answer', 'answer', 'answer', 'answer']);
    expect(handed).toEqual(['', '', 'Hello ', 'there.', '']);
  });

  it('hands out the answer piece by piece as it grows', () => {
    const { handed } = read(['{"answer": "One', ' two', ' three."', '}']);
    expect(handed.filter(Boolean)).toEqual(['One', ' two', ' three.']);
  });

  it('escalates on needs_human with the reason, or on low confidence, before the answer', () => {
    expect(read(['{"can_answer": false, "confidence": 10, "needs_human": true, "reason": "financial_dispute", "answer": "x"}']).verdict).toEqual({ verdict: 'escalate', reason: 'financial_dispute', confidence: 10 });
    expect(read(['{"can_answer": true, "confidence": 59, "needs_human": false, "reason": "none"', ', "answer": "x"}']).verdictAt[0]).toBe('escalate');
    expect(read(['{"can_answer": true, "confidence": 60, "needs_human": false, "reason": "none", "answer": "x"}']).verdict).toEqual({ verdict: 'answer', confidence: 60 });
    expect(read(['{"can_answer": true, "confidence": 90, "needs_human": true, "reason": "none", "answer": "x"}']).verdict).toEqual({ verdict: 'escalate', reason: 'ai_uncertain', confidence: 90 });
  });

  it('waits for the end when the judgement comes after the answer', () => {
    const { verdictAt, verdict, answer: text } = read(['{"answer": "Hi.', '", "can_answer": true, "confidence": 70, ', '"needs_human": false}']);
    expect(verdictAt).toEqual([null, null, 'answer']);
    expect(verdict).toEqual({ verdict: 'answer', confidence: 70 });
    expect(text).toBe('Hi.');
  });

  it('counts a malformed or missing judgement as answer at the confidence floor', () => {
    const floor = { verdict: 'answer', confidence: CONFIDENCE_FLOOR };
    expect(read(['{"can_answer": "yes", "confidence": 90, "needs_human": false, "reason": "none", "answer": "Hi."}']).verdict).toEqual(floor);
    expect(read(['{"confidence": 900, "can_answer": true, "needs_human": false, "answer": "Hi."}']).verdict).toEqual(floor);
    expect(read(['{"answer": "Hi."}'])).toMatchObject({ verdict: floor, answer: 'Hi.' });
    expect(read(['{"can_answer": tru', 'e}'])).toMatchObject({ verdict: floor, answer: '' });
  });

  it('takes plain text as the answer when the model ignores the format', () => {
    const { answer: text, verdict, verdictAt } = read(['  Sure', ', we ship to Canada. ', 'It takes a week.']);
    expect(text).toBe('  Sure, we ship to Canada. It takes a week.');
    expect(verdict).toEqual({ verdict: 'answer', confidence: CONFIDENCE_FLOOR });
    expect(verdictAt[0]).toBe('answer');
  });

  it('reads JSON inside a code fence, and ignores what follows the object', () => {
    const { answer: text, verdict } = read(['```', 'json\n', judgement, '"answer": "Fenced."}', '\n```']);
    expect(text).toBe('Fenced.');
    expect(verdict).toEqual({ verdict: 'answer', confidence: 82 });
  });

  it('keeps the answer so far when the JSON breaks off', () => {
    expect(read([judgement, '"answer": "We ship. We del'])).toMatchObject({ answer: 'We ship. We del', verdict: { verdict: 'answer', confidence: 82 } });
    expect(read([judgement, '"answer": "We ship." ]]] garbage'])).toMatchObject({ answer: 'We ship.' });
  });

  it('says nothing for an empty output', () => {
    expect(read(['', '  '])).toMatchObject({ answer: '  ', verdict: { verdict: 'answer', confidence: CONFIDENCE_FLOOR } });
  });
});
