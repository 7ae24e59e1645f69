import { expect } from '@open-wc/testing';
import { linkify } from './linkify.js';

const links = (text: string) =>
  linkify(text)
    .filter((s) => s.href)
    .map((s) => s.href);

describe('linkify', () => {
  it('keeps text without URLs as one text segment', () => {
    expect(linkify('Nothing to see here.')).to.deep.equal([{ text: 'Nothing to see here.' }]);
  });

  it('turns an https URL into a link and keeps the text around it', () => {
    expect(linkify('Read https://example.com/a now')).to.deep.equal([
      { text: 'Read ' },
      { text: 'https://example.com/a', href: 'https://example.com/a' },
      { text: ' now' },
    ]);
  });

  it('never links javascript:, data: or other schemes', () => {
    expect(
      links('javascript:alert(1) data:text/html,<b>x</b> ftp://x.org mailto:a@b.c'),
    ).to.deep.equal([]);
  });

  it('does not let a URL end in sentence punctuation or an unmatched bracket', () => {
    expect(links('See https://example.com/help.')).to.deep.equal(['https://example.com/help']);
    expect(links('(see https://example.com/x)')).to.deep.equal(['https://example.com/x']);
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)')).to.deep.equal([
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
  });

  it('stops a URL at markup characters', () => {
    expect(links('https://example.com/"><script>')).to.deep.equal(['https://example.com/']);
  });

  it('joins back to the original text', () => {
    const text = 'a https://x.org/1, b http://y.org/2?q=1#f. c';
    expect(
      linkify(text)
        .map((s) => s.text)
        .join(''),
    ).to.equal(text);
  });
});
