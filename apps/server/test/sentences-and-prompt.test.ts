import { describe, expect, it } from 'vitest';
import { buildChatPrompt, systemPrompt } from '../src/domain/reply/prompt.js';
import { SentenceBuffer } from '../src/domain/reply/sentences.js';

describe('sentence buffer', () => {
  const split = (pieces: string[], maxLength?: number) => {
    const buffer = new SentenceBuffer(maxLength);
    const out = pieces.flatMap((piece) => buffer.push(piece));
    const rest = buffer.flush();
    return rest ? [...out, rest] : out;
  };

  it('releases whole sentences only, however the model cuts its output', () => {
    expect(split(['Hel', 'lo there', '. How ', 'are you? I am', ' fine!'])).toEqual(['Hello there. ', 'How are you? ', 'I am fine!']);
  });

  it('keeps decimals and versions inside one sentence', () => {
    expect(split(['It costs 3.50 euros and needs v2.1. Done.'])).toEqual(['It costs 3.50 euros and needs v2.1. ', 'Done.']);
  });

  it('ends a sentence at a line break and after closing quotes', () => {
    expect(split(['Line one\nLine two. "Quoted." Next'])).toEqual(['Line one\n', 'Line two. ', '"Quoted." ', 'Next']);
  });

  it('cuts a run-on without punctuation at a word boundary', () => {
    const sentences = split(['word '.repeat(30)], 50);
    expect(sentences.every((s) => s.length <= 50)).toBe(true);
    expect(sentences.join('')).toBe('word '.repeat(30));
  });

  it('holds back an unfinished sentence until more text or the end', () => {
    const buffer = new SentenceBuffer();
    expect(buffer.push('Refunds are')).toEqual([]);
    expect(buffer.flush()).toBe('Refunds are');
    expect(buffer.flush()).toBeNull();
  });
});

describe('chat prompt', () => {
  it('names the site and forbids promises and invented facts', () => {
    const prompt = systemPrompt('shop.example.com');
    expect(prompt).toContain('shop.example.com');
    expect(prompt).toMatch(/Never promise refunds/);
    expect(prompt).toMatch(/never invent prices, policies or order status/);
  });

  it('keeps only whole recent messages within the character bound', () => {
    const history = Array.from({ length: 10 }, (_, i) => ({ author: i % 2 ? ('ai' as const) : ('visitor' as const), kind: 'text', body: `${i}`.padEnd(100, '.') }));
    const turns = buildChatPrompt({ siteName: 's', history, message: 'now', maxHistoryChars: 350 });
    expect(turns.map((t) => t.role)).toEqual(['system', 'assistant', 'user', 'assistant', 'user']);
    expect(turns[1]!.content.startsWith('7')).toBe(true);
  });

  it('leaves out suppressed replies and system notices', () => {
    const turns = buildChatPrompt({
      siteName: 's',
      history: [
        { author: 'visitor', kind: 'text', body: 'q' },
        { author: 'ai', kind: 'suppressed', body: 'unsafe text' },
        { author: 'system', kind: 'text', body: 'assistant unavailable' },
      ],
      message: 'again',
    });
    expect(turns.map((t) => t.content)).toEqual([expect.any(String), 'q', 'again']);
  });
});
