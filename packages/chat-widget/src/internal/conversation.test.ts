import { expect, waitUntil } from '@open-wc/testing';
import type { T0ErrorEvent, T0MessageEvent } from '../events.js';
import { accepted, FakeTransport, message, replyTo, serverError } from '../../test/fake-server.js';
import { CREDENTIALS, SERVER, STORAGE_KEY, storeSession } from '../../test/fake-server.js';
import { Conversation } from './conversation.js';
import { defaultStrings } from './strings.js';

// The conversation without any rendering: what it asks the (fake) server, and the state a
// view would show at each step.

describe('Conversation', () => {
  let fake: FakeTransport;
  let events: Event[];
  let announced: string[];
  let forgotten: number;

  beforeEach(() => {
    localStorage.clear();
    fake = new FakeTransport();
    events = [];
    announced = [];
    forgotten = 0;
  });

  afterEach(() => localStorage.clear());

  function conversation(): Conversation {
    const host = {
      serverUrl: SERVER,
      text: defaultStrings,
      transport: fake,
      dispatchEvent: (event: Event) => events.push(event) > 0,
    };
    const view = {
      language: 'pt-BR',
      changed: () => {},
      announce: (text: string) => void announced.push(text),
      sessionForgotten: () => void forgotten++,
    };
    return new Conversation(host, view);
  }

  const errors = () => events.filter((e): e is T0ErrorEvent => e.type === 't0-error');
  const stored = () =>
    events.filter((e): e is T0MessageEvent => e.type === 't0-message').map((e) => e.message);

  it('a first message starts the session, streams its reply piece by piece and ends stored', async () => {
    const chat = conversation();
    expect(chat.send('Where is my parcel?')).to.equal(true);
    expect(chat.unsent.map((out) => [out.text, out.state])).to.deep.equal([
      ['Where is my parcel?', 'sending'],
    ]);
    expect(chat.reply).to.equal('');

    const call = await fake.nextSend();
    expect(fake.starts).to.deep.equal([{ locale: 'pt-BR' }]);
    const visitor = accepted(call);
    call.push({ type: 'accepted', message: visitor }, { type: 'delta', text: 'It left ' });
    await waitUntil(() => chat.reply === 'It left ', 'the first piece did not arrive');
    expect(chat.messages).to.deep.equal([visitor]);
    expect(chat.unsent).to.deep.equal([]);
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(JSON.stringify(CREDENTIALS));

    call.push({ type: 'delta', text: 'today.' });
    await waitUntil(() => chat.reply === 'It left today.', 'the second piece was not appended');
    const reply = replyTo(visitor, 'It left today.');
    call.push({ type: 'done', message: reply });
    call.end();
    await waitUntil(() => chat.reply === null, 'the reply did not end');

    expect(chat.messages).to.deep.equal([visitor, reply]);
    expect(stored()).to.deep.equal([visitor, reply]);
    expect(announced).to.deep.equal(['It left today.']);
    expect(chat.canSend).to.equal(true);
  });

  it('while a reply streams nothing else goes out; Stop ends it and the stored words are fetched', async () => {
    const chat = conversation();
    chat.send('Write me a poem');
    const call = await fake.nextSend();
    const visitor = accepted(call);
    call.push({ type: 'accepted', message: visitor }, { type: 'delta', text: 'Roses are red.' });
    await waitUntil(() => chat.reply === 'Roses are red.', 'not streaming');
    expect(chat.canSend).to.equal(false);
    expect(chat.send('And another')).to.equal(false);

    const partial = replyTo(visitor, 'Roses are red.', { interrupted: true });
    fake.stored = [visitor, partial];
    chat.stop();

    expect(call.signal.aborted).to.equal(true);
    await waitUntil(() => chat.messages.length === 2, 'the stored partial reply was not fetched');
    expect(fake.historyCalls.at(-1)!.input).to.deep.equal({ afterId: visitor.id });
    expect(chat.reply).to.equal(null);
    expect(chat.outgoingFor(visitor)).to.equal(undefined);
    expect(fake.sends).to.have.length(1);
    expect(errors()).to.deep.equal([]);
  });

  it('a failed send says why and fires t0-error; a retry sends the same message again', async () => {
    const chat = conversation();
    chat.send('Can I change my address?');
    const first = await fake.nextSend();
    first.fail(new TypeError('Failed to fetch'));
    await waitUntil(() => chat.unsent[0]?.state === 'failed', 'the message did not fail');

    const [out] = chat.unsent;
    expect(out!.error).to.equal(defaultStrings.networkError);
    expect(errors().map((e) => [e.code, e.message])).to.deep.equal([
      ['NETWORK', defaultStrings.networkError],
    ]);

    chat.retry(out!);
    const second = await fake.nextSend();
    expect(second.input).to.deep.equal(first.input);
    expect(fake.starts).to.have.length(1);
    expect(chat.unsent[0]!.state).to.equal('sending');
  });

  it('TOO_MANY_REQUESTS holds every send back until its seconds have passed', async () => {
    const chat = conversation();
    chat.send('Hello');
    const call = await fake.nextSend();
    call.fail(serverError('TOO_MANY_REQUESTS', 'You are sending messages too quickly.', 1));
    await waitUntil(() => chat.retryIn === 1, 'no countdown');

    expect(chat.canSend).to.equal(false);
    expect(chat.send('Hello again')).to.equal(false);
    chat.retry(chat.unsent[0]!);
    expect(fake.sends).to.have.length(1);

    await waitUntil(() => chat.retryIn === 0, 'the countdown did not run out', { timeout: 2500 });
    expect(chat.canSend).to.equal(true);
    chat.dispose();
  });

  it('a stored session the server no longer knows is forgotten and the message sent in a new one', async () => {
    storeSession();
    fake.stored = [message({ author: 'ai', body: 'Welcome back.' })];
    const chat = conversation();
    expect(chat.restore()).to.equal(true);
    await waitUntil(() => chat.messages.length === 1, 'the stored history was not loaded');
    expect(chat.restore()).to.equal(false);

    chat.send('Still there?');
    const first = await fake.nextSend();
    first.fail(serverError('NOT_FOUND', 'This chat session does not exist.'));

    const second = await fake.nextSend();
    expect(second.input.clientMessageId).to.equal(first.input.clientMessageId);
    expect(fake.starts).to.have.length(1);
    expect(forgotten).to.equal(1);
    expect(chat.messages).to.deep.equal([]);
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
  });

  it('a call without a session is refused unless it may start one, which is kept once it succeeds', async () => {
    const chat = conversation();
    expect(chat.restore()).to.equal(false);
    const refused = await chat
      .request((transport, credentials) => transport.requestEscalation(credentials))
      .catch((error: unknown) => error);
    expect(refused).to.have.property('code', 'UNAUTHORIZED');
    expect(fake.starts).to.have.length(0);

    const offer = await chat.request(
      (transport, credentials) => transport.requestEscalation(credentials),
      true,
    );
    expect(offer.kind).to.equal('escalation_offer');
    expect(fake.starts).to.have.length(1);
    expect(fake.callsOf('requestEscalation')[0]!.credentials).to.deep.equal(CREDENTIALS);
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(JSON.stringify(CREDENTIALS));
  });
});
