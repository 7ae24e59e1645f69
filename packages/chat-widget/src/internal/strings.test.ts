import { expect } from '@open-wc/testing';
import { LANGUAGES, loadStrings, pickLanguage } from './language.js';
import { defaultStrings } from './strings.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('built-in translations', () => {
  for (const language of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${language} has every text, none empty, with the same placeholders as English`, async () => {
      const strings = (await loadStrings(language))!;
      expect(Object.keys(strings).sort()).to.deep.equal(Object.keys(defaultStrings).sort());
      for (const [key, english] of Object.entries(defaultStrings)) {
        const text = strings[key as keyof typeof strings];
        expect(text.trim().length > 0, `${language}.${key} is empty`).to.equal(true);
        expect(placeholders(text), `${language}.${key}`).to.deep.equal(placeholders(english));
      }
    });
  }

  it('picks the first tag it speaks, by its language, and English when none', () => {
    expect(pickLanguage(['fr-CA', 'de'])).to.deep.equal({ language: 'fr', tag: 'fr-CA' });
    expect(pickLanguage([undefined, 'ja', 'pt-BR'])).to.deep.equal({
      language: 'pt',
      tag: 'pt-BR',
    });
    expect(pickLanguage(['ja', 'zh'])).to.deep.equal({ language: 'en', tag: 'en' });
  });
});
