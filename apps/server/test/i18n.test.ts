import type { SendMessageEvent } from '@ticket0/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxEmail } from '../src/db/entities/index.js';
import { fill, localeFromAcceptLanguage, SERVER_LOCALES, SERVER_TEXTS, textsFor } from '../src/lib/i18n/index.js';
import { collect, createHarness, type Harness } from './support/harness.js';

/** Every key path of a texts object: `offer.ai_uncertain`, `confirmation`, … */
function keysOf(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'object' && inner !== null ? keysOf(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}
const at = (value: object, path: string): unknown => path.split('.').reduce<unknown>((inner, key) => (inner as Record<string, unknown>)[key], value);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('server translations', () => {
  const english = keysOf(SERVER_TEXTS.en);

  it.each(SERVER_LOCALES)('%s has every text, none empty, with the same placeholders as English', (locale) => {
    const texts = SERVER_TEXTS[locale];
    expect(keysOf(texts).sort()).toEqual([...english].sort());
    for (const key of english) {
      const text = at(texts, key);
      expect(typeof text === 'string' && text.trim().length > 0, `${locale}: ${key}`).toBe(true);
      expect(placeholders(text as string), `${locale}: ${key}`).toEqual(placeholders(at(SERVER_TEXTS.en, key) as string));
    }
  });

  it('picks the language of a locale tag, and English for one it does not speak', () => {
    expect(textsFor('fr-FR')).toBe(SERVER_TEXTS.fr);
    expect(textsFor('pt_BR')).toBe(SERVER_TEXTS.pt);
    expect(textsFor('HE')).toBe(SERVER_TEXTS.he);
    expect(textsFor('ja-JP')).toBe(SERVER_TEXTS.en);
    expect(textsFor(null)).toBe(SERVER_TEXTS.en);
  });

  it("takes the language an Accept-Language header ranks highest among ours", () => {
    expect(localeFromAcceptLanguage('de-AT,de;q=0.9,en;q=0.8')).toBe('de');
    expect(localeFromAcceptLanguage('ja, zh;q=0.9, nl;q=0.5, fr;q=0.7')).toBe('fr');
    expect(localeFromAcceptLanguage('he;q=0, it;q=0.2')).toBe('it');
    expect(localeFromAcceptLanguage('ja-JP')).toBe('en');
    expect(localeFromAcceptLanguage(undefined)).toBe('en');
    expect(localeFromAcceptLanguage('x;q=abc,,;;, ES ')).toBe('es');
  });

  it('fills placeholders once: a value that looks like one stays as it is', () => {
    expect(fill('{title} ({code})', { title: '{code}', code: '123' })).toBe('{code} (123)');
  });
});

describe("a chat follows its session's locale", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  async function frenchVisitor() {
    const { sessionId, visitorToken } = await h.anonymous({ origin: 'https://boutique.example.fr' }).chat.start({ locale: 'fr-FR' });
    return h.visitor(sessionId, visitorToken, { origin: 'https://boutique.example.fr' });
  }

  it('offers, confirmations and the acknowledgement mail are French for fr-FR', async () => {
    const caller = await frenchVisitor();
    const offer = await caller.escalation.request();
    expect(offer.body).toBe(`${SERVER_TEXTS.fr.offer.human_requested} ${SERVER_TEXTS.fr.offerQuestion}`);
    const result = await caller.escalation.confirm({ offerId: offer.id, email: 'ana@example.com' });
    expect(result.confirmation.body).toContain('notre équipe d’assistance vous répondra par e-mail à ana@example.com');
    const mail = await h.orm.em.fork().findOneOrFail(OutboxEmail, { to: 'ana@example.com' });
    expect(mail.subject).toBe(`Nous avons bien reçu votre demande [#${result.ticketId}]`);
    expect(mail.text).toContain('Merci de nous avoir contactés.');
  });

  it('the "model unavailable" offer is French too', async () => {
    h.ollama.behaviour = { mode: 'error', status: 500, message: 'model crashed' };
    const caller = await frenchVisitor();
    const events = await collect<SendMessageEvent>(caller.chat.send({ clientMessageId: 'fr-unavailable-0001', text: 'Livrez-vous au Canada ?' }));
    const done = events.at(-1) as Extract<SendMessageEvent, { type: 'done' }>;
    expect(done.message.kind).toBe('escalation_offer');
    expect(done.message.body).toContain(SERVER_TEXTS.fr.offer.ai_unavailable);
    expect(done.message.body).toContain(SERVER_TEXTS.fr.offerQuestion);
  });

  it('refusals the visitor reads are French: no email, unverified transcript, wrong, missing and throttled codes', async () => {
    const caller = await frenchVisitor();
    const offer = await caller.escalation.request();
    await expect(caller.escalation.confirm({ offerId: offer.id })).rejects.toThrow(SERVER_TEXTS.fr.errors.emailNeeded);
    await expect(caller.chat.emailTranscript()).rejects.toThrow(SERVER_TEXTS.fr.errors.transcriptVerifyFirst);
    await expect(caller.verification.confirm({ code: '000000' })).rejects.toThrow(SERVER_TEXTS.fr.errors.noCodeWaiting);
    await caller.verification.request({ email: 'ana@example.com' });
    const mail = await h.orm.em.fork().findOneOrFail(OutboxEmail, { to: 'ana@example.com' });
    const wrong = mail.subject.startsWith('000000') ? '111111' : '000000';
    await expect(caller.verification.confirm({ code: wrong })).rejects.toThrow(/^Ce code n’est pas le bon\. Il reste \d+ essais\.$/);
    await expect(caller.verification.request({ email: 'ana@example.com' })).rejects.toThrow(/^Un code vient d’être envoyé\. Réessayez dans \d+ s\.$/);
  });

  it('the message rate limit is worded in the chat\'s language', async () => {
    const caller = await frenchVisitor();
    const refusals: string[] = [];
    for (let i = 0; i < 40 && refusals.length === 0; i++) {
      try {
        await collect(caller.chat.send({ clientMessageId: `fr-limit-${String(i).padStart(4, '0')}-aaaa`, text: 'Bonjour' }));
      } catch (error) {
        refusals.push((error as Error).message);
      }
    }
    expect(refusals[0]).toMatch(/^Vous envoyez des messages trop rapidement\. Réessayez dans \d+ s\.$/);
  });

  it('the verification mail is French and names the site', async () => {
    const caller = await frenchVisitor();
    await caller.verification.request({ email: 'ana@example.com' });
    const mail = await h.orm.em.fork().findOneOrFail(OutboxEmail, { to: 'ana@example.com' });
    expect(mail.subject).toMatch(/^\d{6} est votre code de vérification pour boutique\.example\.fr$/);
    expect(mail.text).toContain('Votre code de vérification pour le chat de boutique.example.fr est :');
    expect(mail.text).toContain('expire dans 10 minutes');
  });
});
