import { expect } from '@open-wc/testing';
import { fixture, html } from '@open-wc/testing';
import {
  CREDENTIALS,
  FakeTransport,
  message,
  SERVER,
  serverError,
  STORAGE_KEY,
  storeSession,
} from '../test/fake-server.js';
import { $, $$, has, mount, openPanel, restored, shown, until } from '../test/widget.js';
import type { T0VerifiedEvent } from './events.js';
import type { Ticket0Chat } from './ticket0-chat.component.js';

/** A token shaped as the site's server signs it (the fake does not check the signature). */
const tokenFor = (email: string) =>
  `${btoa(JSON.stringify({ email, issuedAt: Math.floor(Date.now() / 1000) })).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.${'s'.repeat(43)}`;

const OTHER = { sessionId: 'cs_BBBBBBBBBBBBBBBBBBBBBB', visitorToken: 'U'.repeat(43) };

describe('<ticket0-chat> signed identity, chats across devices, deleting a chat', () => {
  let fake: FakeTransport;

  beforeEach(() => (fake = new FakeTransport()));

  it('the identity attribute verifies the chat on open: badge and t0-verified, no code asked', async () => {
    const token = tokenFor('ana@example.com');
    const el = await fixture<Ticket0Chat>(
      html`<ticket0-chat server=${SERVER} identity=${token} .transport=${fake}></ticket0-chat>`,
    );
    const verified: string[] = [];
    el.addEventListener('t0-verified', (event: T0VerifiedEvent) => verified.push(event.email));
    await openPanel(el);
    await until(el, () => has(el, '[part="badge"]'), 'no badge');
    expect($(el, '[part="badge"]')!.textContent).to.contain('Verified: ana@example.com');
    expect(fake.callsOf('identify').map((call) => call.input)).to.deep.equal([{ token }]);
    expect(fake.callsOf('requestVerification')).to.have.length(0);
    expect(verified).to.deep.equal(['ana@example.com']);
    expect(has(el, '[part="actions"] .verify-open'), 'verify button still shown').to.equal(false);
    // The chat was started for it and is kept for the next page.
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).to.deep.equal(CREDENTIALS);

    // Opening again does not spend the token twice.
    el.close();
    await el.updateComplete;
    el.open();
    await el.updateComplete;
    expect(fake.callsOf('identify')).to.have.length(1);
  });

  it('identify() after open verifies at once; a refused token says why and leaves no badge', async () => {
    const el = await mount(fake);
    await openPanel(el);
    fake.failNext('identify', serverError('UNAUTHORIZED', 'This identity token has expired. Reload the page to get a new one.'));
    el.identify(tokenFor('ana@example.com'));
    await until(el, () => shown(el).includes('has expired'), 'no error shown');
    expect(has(el, '[part="badge"]')).to.equal(false);

    const second = tokenFor('bo@example.com');
    el.identify(second);
    await until(el, () => has(el, '[part="badge"]'), 'no badge');
    expect($(el, '[part="badge"]')!.textContent).to.contain('bo@example.com');
  });

  it('a stored chat verified as someone else is left for a new one before the identity is presented', async () => {
    fake.verifiedEmail = 'bo@example.com';
    const el = await restored(fake, message({ author: 'visitor', body: 'Bo’s question' }));
    fake.verifiedEmail = null; // the new chat the widget starts is not verified yet
    el.identify(tokenFor('ana@example.com'));
    await until(el, () => $(el, '[part="badge"]')?.textContent?.includes('ana@example.com') ?? false, 'not verified as Ana');
    expect(shown(el)).not.to.contain('Bo’s question');
    expect(fake.starts).to.have.length(1);
  });

  it('reset() at sign-out forgets the identity and this browser’s chat', async () => {
    storeSession();
    const closed = await mount(fake);
    closed.reset();
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);

    const el = await restored(fake, message({ author: 'visitor', body: 'My order 1234' }));
    el.identity = tokenFor('ana@example.com');
    await until(el, () => has(el, '[part="badge"]'), 'no badge');
    el.reset();
    await el.updateComplete;
    expect(el.identity).to.equal(undefined);
    expect(shown(el)).not.to.contain('My order 1234');
    expect(has(el, '[part="badge"]')).to.equal(false);
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
  });

  it('a verified customer sees their chat from another device and continues it here', async () => {
    fake.otherChat = {
      summary: { sessionId: OTHER.sessionId, subject: 'Where is my parcel?', preview: 'It left on Monday.', lastActivityAt: new Date(), current: false },
      credentials: OTHER,
      messages: [message({ author: 'visitor', body: 'Where is my parcel?' }), message({ author: 'ai', body: 'It left on Monday.' })],
    };
    const el = await fixture<Ticket0Chat>(
      html`<ticket0-chat server=${SERVER} identity=${tokenFor('ana@example.com')} .transport=${fake}></ticket0-chat>`,
    );
    await openPanel(el);
    await until(el, () => has(el, '.recent button'), 'no recent chats listed');
    expect($(el, '.recent')!.textContent).to.contain('Continue a recent conversation');
    $<HTMLButtonElement>(el, '.recent button')!.click();
    await until(el, () => $$(el, '.message').length === 2, 'the other chat’s history not shown');
    expect(shown(el)).to.contain('It left on Monday.');
    expect(fake.callsOf('continueConversation')[0]!.input).to.deep.equal({ sessionId: OTHER.sessionId });
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).to.deep.equal(OTHER);
    expect(has(el, '.recent')).to.equal(false);
  });

  it('“New conversation” drops the list of the customer’s other chats with the session', async () => {
    fake.otherChat = {
      summary: { sessionId: OTHER.sessionId, subject: 'Earlier chat', preview: null, lastActivityAt: new Date(), current: false },
      credentials: OTHER,
      messages: [],
    };
    fake.verifiedEmail = 'ana@example.com';
    const el = await restored(fake, message({ author: 'visitor', body: 'Hello' }));
    expect(fake.callsOf('conversations')).to.have.length(1);
    $<HTMLButtonElement>(el, '.new-conversation')!.click();
    await el.updateComplete;
    expect(has(el, '.recent')).to.equal(false);
  });

  it('an unverified visitor is offered no other chats', async () => {
    fake.otherChat = {
      summary: { sessionId: OTHER.sessionId, subject: 'Not yours', preview: null, lastActivityAt: new Date(), current: false },
      credentials: OTHER,
      messages: [],
    };
    const el = await restored(fake, message({ author: 'visitor', body: 'Hello' }));
    expect(fake.callsOf('conversations')).to.have.length(0);
    expect(has(el, '.recent')).to.equal(false);
  });

  it('deletes the conversation after a second press, and starts afresh', async () => {
    const el = await restored(fake, message({ author: 'visitor', body: 'Forget this' }));
    const button = () => $<HTMLButtonElement>(el, '.delete-conversation')!;
    expect(button().textContent!.trim()).to.equal('Delete conversation');
    button().click();
    await el.updateComplete;
    expect(button().textContent!.trim()).to.equal('Delete it for good?');
    expect(fake.callsOf('deleteConversation')).to.have.length(0);
    button().click();
    await until(el, () => !shown(el).includes('Forget this'), 'still shown');
    expect(fake.callsOf('deleteConversation')).to.have.length(1);
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
  });
});
