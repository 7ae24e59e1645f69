import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAFETY_RULE_LABELS, safetyRuleLabel } from '../src/format.js';

/** The rule ids the server's reply checks can name, read from their type. */
function serverRuleIds(): string[] {
  const source = readFileSync(new URL('../../server/src/domain/reply/safety/types.ts', import.meta.url), 'utf8');
  const union = /export type SafetyRuleName =([^;]+);/.exec(source)![1]!;
  return [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!);
}

describe('safety rule labels', () => {
  it('name every rule the server can hold a sentence back for in words', () => {
    const ids = serverRuleIds();
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const id of ids) {
      expect({ id, label: SAFETY_RULE_LABELS[id] }).toEqual({ id, label: expect.stringMatching(/^[A-Z][^_]+$/) });
    }
    expect(Object.keys(SAFETY_RULE_LABELS).sort()).toEqual([...ids].sort());
  });

  it('read a rule in words, and one the console does not know yet without underscores', () => {
    expect(safetyRuleLabel('promised_compensation')).toBe('Promised a refund or compensation');
    expect(safetyRuleLabel('new_rule')).toBe('New rule');
  });
});
