import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../src/domain/escalation/language.js';
import {
  AMOUNT_TOKEN,
  MAX_TOKENS,
  fold,
  normalise,
  stem,
} from '../src/domain/escalation/normalise.js';

const words = (text: string) => normalise(text).map((t) => t.text);

describe('normalising a visitor message', () => {
  it('ignores case, accents and punctuation', () => {
    expect(words('LÖSCHEN Sie meine Daten!!!')).toEqual(['loschen', 'sie', 'meine', 'daten']);
    expect(words('Réglé, merci…')).toEqual(['regle', 'merci']);
    expect(fold('Straße Œuvre São')).toBe('strasse oeuvre sao');
  });

  it('expands English contractions, with or without the apostrophe', () => {
    expect(words("I can't reach anyone")).toEqual(['i', 'can', 'not', 'reach', 'anyone']);
    expect(words('I dont want a bot, I didnt order this')).toEqual([
      'i',
      'do',
      'not',
      'want',
      'a',
      'bot',
      'i',
      'did',
      'not',
      'order',
      'this',
    ]);
    expect(words('I’m sure it’s fine and they’ll call')).toEqual([
      'i',
      'am',
      'sure',
      'it',
      'is',
      'fine',
      'and',
      'they',
      'will',
      'call',
    ]);
  });

  it('leaves the German "im" alone', () => {
    expect(words('im Lager')).toEqual(['im', 'lager']);
  });

  it('splits French and Italian elisions', () => {
    expect(words("J'aimerais l'adresse")).toEqual(['j', 'aimerais', 'l', 'adresse']);
    expect(words("c'è un addebito")).toEqual(['c', 'e', 'un', 'addebito']);
  });

  it('turns money amounts in any common notation into one token', () => {
    for (const text of [
      '$15,000',
      '£89.99',
      '1 200 €',
      '1.200 €',
      'R$ 350',
      '80 euros',
      '€ 60',
      '2.000 reais',
      'EUR 45',
      '3k dollars',
    ]) {
      expect(words(`charged ${text} today`), text).toEqual(['charged', AMOUNT_TOKEN, 'today']);
    }
    expect(words('order 12345 arrived')).toEqual(['order', '12345', 'arrived']);
  });

  it('marks clauses and sentences', () => {
    const tokens = normalise('Hello, is anyone there? I need help');
    expect(tokens.map((t) => t.clause)).toEqual([0, 1, 1, 1, 2, 2, 2]);
    expect(tokens.map((t) => t.sentence)).toEqual([0, 0, 0, 0, 1, 1, 1]);
  });

  it('reads a bounded number of words however long the message', () => {
    expect(normalise('word '.repeat(10_000)).length).toBeLessThanOrEqual(MAX_TOKENS);
  });
});

describe('stemming', () => {
  it.each([
    ['en', ['charges', 'charge', 'charging'], 'charg'],
    ['fr', ['débité', 'débiter', 'débit'].map(fold), 'debit'],
    ['de', ['Mitarbeiter', 'Mitarbeitern', 'Mitarbeiterin'].map(fold), 'mitarbeit'],
    ['es', ['cobrado', 'cobraron', 'cobro'], 'cobr'],
    ['it', ['addebitato', 'addebitata', 'addebitare'], 'addebit'],
    ['pt', ['cobrado', 'cobraram', 'cobrar'], 'cobr'],
    ['nl', ['medewerker', 'medewerkers'], 'medewerk'],
  ] as const)('%s: %j share the stem %s', (language, forms, expected) => {
    for (const form of forms) expect(stem(form, language)).toBe(expected);
  });

  it('keeps at least three letters, and leaves numbers and amounts as they are', () => {
    expect(stem('sue', 'en')).toBe('sue');
    expect(stem('2x', 'en')).toBe('2x');
    expect(stem(AMOUNT_TOKEN, 'fr')).toBe(AMOUNT_TOKEN);
  });
});

describe('telling the language', () => {
  it.each([
    ['Where is my parcel?', 'en'],
    ['Où est mon colis ?', 'fr'],
    ['Wo ist mein Paket?', 'de'],
    ['¿Dónde está mi paquete?', 'es'],
    ['Dov’è il mio pacco?', 'it'],
    ['Cadê a minha encomenda?', 'pt'],
    ['Waar is mijn pakket?', 'nl'],
    ['Grazie mille', 'it'],
    ['Guten Morgen', 'de'],
  ] as const)('"%s" is %s', (text, language) => {
    expect(detectLanguage(text)).toBe(language);
  });

  it('falls back on the session locale when the words do not tell', () => {
    expect(detectLanguage('ok', 'nl-BE')).toBe('nl');
    expect(detectLanguage('12345')).toBeNull();
  });
});
