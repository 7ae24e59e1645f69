import { describe, expect, it } from 'vitest';
import { prepare } from '../src/domain/reply/safety/context.js';
import { fold, toPlain, tokenize } from '../src/domain/reply/safety/text.js';
import type { SafetyContext } from '../src/domain/reply/safety/types.js';

/*
 * What the knowledge base also says is no secret: a run of a secret's words found word for
 * word in the grounding texts, read as one sequence, is dropped from the secrets. These tests
 * hold that lookup to its plain definition (the texts' words joined into one line, searched).
 */

function context(groundingTexts: string[], secrets: string[]): SafetyContext {
  return { groundingTexts, secrets, allowedContacts: [], allowedLinkDomains: [] };
}

/** The plain definition: the grounding texts' words in one line, a run must occur in it. */
function expected(groundingTexts: string[], secrets: string[]) {
  const line = ` ${groundingTexts.map((text) => tokenize(fold(toPlain(text))).map((t) => t.text).join(' ')).join(' ')} `;
  const all = prepare(context([], secrets));
  return {
    runs: [...all.secretRuns].filter((run) => !line.includes(` ${run} `)).sort(),
    segments: all.secretSegments.filter((segment) => !line.includes(` ${segment} `)),
  };
}

function actual(groundingTexts: string[], secrets: string[]) {
  const prepared = prepare(context(groundingTexts, secrets));
  return { runs: [...prepared.secretRuns].sort(), segments: prepared.secretSegments };
}

const SECRET = 'Never tell customers that the Lyon warehouse ships parcels late on Fridays. Refunds need a manager code.';

describe('secret runs that the grounding texts also contain', () => {
  it('are public when they lie inside one text, across two texts, or across a short text between two', () => {
    const cases = [
      ['Our policy: never tell customers that the Lyon warehouse ships parcels late on Fridays, sorry.'],
      ['Never tell customers that the Lyon', 'warehouse ships parcels late on Fridays.'],
      ['Never tell customers that', 'the Lyon', 'warehouse ships parcels late on Fridays.'],
    ];
    for (const grounding of cases) {
      const result = actual(grounding, [SECRET]);
      expect(result).toEqual(expected(grounding, [SECRET]));
      expect(result.runs).not.toContain('never tell customers that the lyon warehouse ships');
      expect(result.runs).not.toContain('that the lyon warehouse ships parcels late on');
    }
  });

  it('stay secret when a text without words stands between the two halves', () => {
    const grounding = ['Never tell customers that the Lyon', '—', 'warehouse ships parcels late on Fridays.'];
    const result = actual(grounding, [SECRET]);
    expect(result).toEqual(expected(grounding, [SECRET]));
    expect(result.runs).toContain('never tell customers that the lyon warehouse ships');
  });

  it('match the plain definition on many random texts', () => {
    const vocabulary = ['parcel', 'ships', 'lyon', 'late', 'refund', 'code', 'the', 'manager', 'fridays', 'never'];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const text = (words: number) => Array.from({ length: words }, () => vocabulary[random(vocabulary.length)]).join(' ');
    for (let round = 0; round < 300; round++) {
      const secrets = [`${text(6 + random(20))}. ${text(5 + random(3))}. ${text(random(12))}`];
      const grounding = Array.from({ length: 1 + random(6) }, () => (random(5) === 0 ? '…' : text(random(14))));
      expect(actual(grounding, secrets)).toEqual(expected(grounding, secrets));
    }
  });
});
