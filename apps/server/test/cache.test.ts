import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { startConsole } from '../src/console-boot.js';
import { Settings } from '../src/db/entities/index.js';
import { createArticle, updateArticle } from '../src/domain/knowledge/articles.js';
import { SETTINGS_CACHE } from '../src/domain/settings/settings.js';
import { Caches } from '../src/lib/cache.js';
import { collect, createHarness, type Harness } from './support/harness.js';

describe('the in-process cache', () => {
  it('loads a key once and serves it from memory after that', async () => {
    const caches = new Caches();
    let loads = 0;
    const load = async () => ++loads;
    expect(await caches.get('k', load)).toBe(1);
    expect(await caches.get('k', load)).toBe(1);
    expect(loads).toBe(1);
  });

  it('shares one load between readers that ask at the same time', async () => {
    const caches = new Caches();
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 'value';
    };
    expect(await Promise.all([caches.get('k', load), caches.get('k', load), caches.get('k', load)])).toEqual(['value', 'value', 'value']);
    expect(loads).toBe(1);
  });

  it('loads again after an invalidation', async () => {
    const caches = new Caches();
    let value = 'old';
    expect(await caches.get('k', async () => value)).toBe('old');
    value = 'new';
    caches.invalidate('k');
    expect(await caches.get('k', async () => value)).toBe('new');
  });

  it('does not keep a value loaded while the key was invalidated: it may predate the change', async () => {
    const caches = new Caches();
    let release!: () => void;
    const slow = caches.get('k', () => new Promise<string>((resolve) => (release = () => resolve('read before the write'))));
    caches.invalidate('k'); // the write commits while the read is on its way
    release();
    expect(await slow).toBe('read before the write');
    expect(await caches.get('k', async () => 'read after the write')).toBe('read after the write');
  });

  it('does not keep a failed load', async () => {
    const caches = new Caches();
    await expect(caches.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await caches.get('k', async () => 'up')).toBe('up');
  });

  it('loads again once an entry is older than its maximum age', async () => {
    let now = 0;
    const caches = new Caches({ now: () => now });
    let loads = 0;
    const load = async () => ++loads;
    await caches.get('k', load, { maxAgeMs: 1000 });
    now = 999;
    expect(await caches.get('k', load, { maxAgeMs: 1000 })).toBe(1);
    now = 1000;
    expect(await caches.get('k', load, { maxAgeMs: 1000 })).toBe(2);
  });

  it('keeps at most maxEntries, forgetting the least recently used first', async () => {
    const caches = new Caches({ maxEntries: 2 });
    await caches.get('a', async () => 'a');
    await caches.get('b', async () => 'b');
    await caches.get('a', async () => 'a again'); // a is used: b is now the oldest
    await caches.get('c', async () => 'c');
    expect(caches.size).toBe(2);
    expect(await caches.get('a', async () => 'reloaded')).toBe('a');
    expect(await caches.get('b', async () => 'reloaded')).toBe('reloaded');
  });

  it('tells listeners every invalidation and where it came from, so local ones can be broadcast', async () => {
    const caches = new Caches();
    const heard: string[] = [];
    const stop = caches.onInvalidate((key, origin) => heard.push(`${origin}:${key}`));
    caches.invalidate('settings');
    caches.invalidateFromPeer('lessons:approved');
    stop();
    caches.invalidate('settings');
    expect(heard).toEqual(['local:settings', 'peer:lessons:approved']);
  });
});

describe('what the chat reads from the cache follows the changes', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  const send = (caller: Awaited<ReturnType<Harness['startVisitor']>>['caller'], text: string, id: string) =>
    collect<SendMessageEvent>(caller.chat.send({ clientMessageId: id, text }));

  it('a first published article makes the site one with a knowledge base at once', async () => {
    h = await createHarness();
    const { caller } = await h.startVisitor();
    // No knowledge base: the model may try a question nothing supports.
    await send(caller, 'Do you sell zebra saddles?', 'kb-cache-0001');
    expect(h.ollama.requests).toHaveLength(1);

    const article = await createArticle(h.orm.em.fork(), { title: 'Shipping', body: 'Parcels arrive in three days.', published: false });
    await send(caller, 'Do you sell zebra saddles?', 'kb-cache-0002');
    expect(h.ollama.requests).toHaveLength(2); // a draft is no knowledge base

    await updateArticle(h.orm.em.fork(), article.id, { published: true });
    // Now there is one, and nothing in it supports an answer: an offer, no model.
    const events = await send(caller, 'Do you sell zebra saddles?', 'kb-cache-0003');
    expect(h.ollama.requests).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { kind: 'escalation_offer', escalationReason: 'ai_uncertain' } });
  });

  it('a cited article unpublished later is no longer linked from the chat history', async () => {
    h = await createHarness();
    const article = await createArticle(h.orm.em.fork(), { title: 'Shipping', body: 'Parcels usually arrive within three working days.', published: true });
    h.ollama.behaviour = { mode: 'reply', text: 'Parcels usually arrive within three working days [1].' };
    const { caller } = await h.startVisitor();
    const events = await send(caller, 'When do parcels arrive?', 'cite-cache-01');
    expect(events.at(-1)).toMatchObject({ type: 'done', message: { citations: [{ articleId: article.id, title: 'Shipping' }] } });

    await updateArticle(h.orm.em.fork(), article.id, { published: false });
    const { messages } = await caller.chat.history();
    expect(messages.at(-1)!.citations).toEqual([]);
  });

  it('allowed origins and the widget’s looks changed by another server process apply here once its invalidation arrives', async () => {
    h = await createHarness();
    const boot = await startConsole(h.services, () => {});
    try {
      expect(h.services.allowedOrigins.has('https://shop.example.com')).toBe(false);
      expect((await h.anonymous().chat.config()).brandName).toBeNull();
      // Another process wrote the settings and broadcast the invalidation.
      await h.orm.em.fork().nativeUpdate(Settings, { id: 1 }, { allowedOrigins: ['https://shop.example.com'], brandName: 'Acme' });
      h.services.caches.invalidateFromPeer(SETTINGS_CACHE);
      await expect.poll(() => h.services.allowedOrigins.has('https://shop.example.com')).toBe(true);
      // The widget's looks too, without waiting for their copy to expire.
      expect((await h.anonymous().chat.config()).brandName).toBe('Acme');
    } finally {
      await boot.stop();
    }
  });
});
