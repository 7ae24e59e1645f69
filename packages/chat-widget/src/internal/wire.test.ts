import { expect } from '@open-wc/testing';
import superjson from 'superjson';
import { wire } from './wire.js';

// The server serialises with superjson itself; the widget's reader must give back the same
// values for everything the widget's procedures send, and refuse what it cannot read.

const roundTrip = (value: unknown) =>
  wire.deserialize(JSON.parse(JSON.stringify(superjson.serialize(value))));

describe('wire format (superjson, as the server writes it)', () => {
  it('restores Dates at the top, in objects, in arrays and under keys holding dots', () => {
    const value = {
      at: new Date('2026-01-02T03:04:05.678Z'),
      messages: [
        { id: 1, createdAt: new Date(0), citations: [] },
        { id: 2, createdAt: new Date(1000), body: 'a.b\\c' },
      ],
      'x.y': { 'back\\slash': new Date(2000) },
    };
    expect(roundTrip(value)).to.deep.equal(value);
    expect(roundTrip(new Date(5))).to.deep.equal(new Date(5));
  });

  it('keeps undefined, NaN and Infinity and passes plain JSON through', () => {
    const restored = roundTrip({
      gone: undefined,
      n: Number.NaN,
      big: -Infinity,
      s: 'x',
      list: [1, null],
    });
    expect(restored).to.deep.equal({
      gone: undefined,
      n: Number.NaN,
      big: -Infinity,
      s: 'x',
      list: [1, null],
    });
    expect(Object.hasOwn(restored as object, 'gone')).to.equal(true);
    expect(roundTrip(null)).to.equal(null);
  });

  it('what the widget sends reads back the same through superjson', () => {
    const input = { clientMessageId: 'm1', text: 'Hi. Dots.\\', afterId: 3, nested: [{ a: 1 }] };
    expect(superjson.deserialize(JSON.parse(JSON.stringify(wire.serialize(input))))).to.deep.equal(
      input,
    );
  });

  it('no input is written exactly as superjson writes it', () => {
    expect(JSON.stringify(wire.serialize(undefined))).to.equal(
      JSON.stringify(superjson.serialize(undefined)),
    );
    expect(superjson.deserialize(JSON.parse(JSON.stringify(wire.serialize(undefined))))).to.equal(
      undefined,
    );
  });

  it('a type the widget cannot read fails instead of arriving wrong', () => {
    expect(() => roundTrip({ tags: new Set(['a']) })).to.throw(/cannot read/);
    expect(() => roundTrip({ big: 1n })).to.throw(/cannot read/);
  });
});
