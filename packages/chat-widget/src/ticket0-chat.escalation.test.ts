import type { ChatMessage } from '@ticket0/contracts';
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  CREDENTIALS,
  FakeTransport,
  message,
  serverError,
  STORAGE_KEY,
} from '../test/fake-server.js';
import {
  $,
  $$,
  has,
  mount,
  openAndSend,
  openPanel,
  restored,
  send,
  shown,
  textarea,
  until,
} from '../test/widget.js';
import type { T0EscalateEvent, T0MessageEvent } from './events.js';
import type { Ticket0Chat } from './ticket0-chat.component.js';

function offer(fields: Partial<ChatMessage> = {}): ChatMessage {
  return message({
    author: 'ai',
    kind: 'escalation_offer',
    body: 'I am not sure about this one. Shall our support team contact you by email?',
    escalationReason: 'ai_uncertain',
    offerStatus: 'pending',
    ...fields,
  });
}

const inOffer = (el: Ticket0Chat, id: number, selector: string) =>
  $<HTMLButtonElement>(el, `[data-id="${id}"] ${selector}`);
const live = (el: Ticket0Chat) => $(el, '[aria-live="polite"]')!.textContent!.trim();

describe('<ticket0-chat> escalation to a human', () => {
  let fake: FakeTransport;

  beforeEach(() => (fake = new FakeTransport()));

  it('a pending offer shows its text with "Yes, contact me" and "No thanks"; a settled one does not', async () => {
    const pending = offer();
    const settled = offer({ offerStatus: 'accepted' });
    const el = await restored(fake, pending, settled);

    expect($(el, `[data-id="${pending.id}"] .bubble`)!.textContent).to.contain(
      'Shall our support team contact you by email?',
    );
    expect(inOffer(el, pending.id, '.accept')!.textContent!.trim()).to.equal('Yes, contact me');
    expect(inOffer(el, pending.id, '.decline')!.textContent!.trim()).to.equal('No thanks');
    expect(has(el, `[data-id="${settled.id}"] button`), 'buttons on a settled offer').to.equal(
      false,
    );
    // An offer is not a reply to rate.
    expect(has(el, `[data-id="${pending.id}"] .rate`), 'thumbs on an offer').to.equal(false);
  });

  it('"Yes, contact me" in an unverified chat asks for an email, checks it and confirms once', async () => {
    const pending = offer();
    const el = await restored(fake, pending);
    const escalations: T0EscalateEvent[] = [];
    el.addEventListener('t0-escalate', (event) => escalations.push(event));

    inOffer(el, pending.id, '.accept')!.click();
    await until(el, () => has(el, `#offer-email-${pending.id}`), 'no email field');
    const field = $<HTMLInputElement>(el, `#offer-email-${pending.id}`)!;
    expect(field.type).to.equal('email');
    expect(field.autocomplete).to.equal('email');
    expect($(el, `label[for="offer-email-${pending.id}"]`)!.textContent).to.equal(
      'Your email address',
    );
    expect(getComputedStyle(field).fontSize).to.equal('16px');
    expect(el.shadowRoot!.activeElement === field, 'focus in the email field').to.equal(true);

    await sendKeys({ type: 'ana@example' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(shown(el)).to.contain('Enter a valid email address');
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    expect(fake.callsOf('confirmEscalation')).to.have.length(0);

    field.value = 'ana@example.com';
    const release = fake.hold();
    const submit = $<HTMLButtonElement>(el, `[data-id="${pending.id}"] form [type="submit"]`)!;
    submit.click();
    submit.click();
    await el.updateComplete;
    expect(submit.disabled, 'submit disabled while in flight').to.equal(true);
    submit.click();
    release();

    await until(el, () => has(el, '.escalation_confirmation'), 'no confirmation');
    expect(fake.callsOf('confirmEscalation').map((c) => c.input)).to.deep.equal([
      { offerId: pending.id, email: 'ana@example.com' },
    ]);
    expect($(el, '.escalation_confirmation')!.textContent).to.contain(
      'Our support team will write to ana@example.com.',
    );
    expect(has(el, `[data-id="${pending.id}"] button`), 'buttons left on the offer').to.equal(
      false,
    );
    expect(live(el)).to.equal('Our support team will write to ana@example.com.');
    expect(escalations.map((e) => [e.ticketId, e.reason])).to.deep.equal([[41, 'ai_uncertain']]);
    expect(el.shadowRoot!.activeElement === textarea(el), 'focus back in the message box').to.equal(
      true,
    );
  });

  it('an address the server refuses is explained next to the field', async () => {
    const pending = offer();
    const el = await restored(fake, pending);
    inOffer(el, pending.id, '.accept')!.click();
    await until(el, () => has(el, `#offer-email-${pending.id}`), 'no email field');
    fake.failNext(
      'confirmEscalation',
      serverError('BAD_REQUEST', 'That email address is too long.'),
    );
    $<HTMLInputElement>(el, `#offer-email-${pending.id}`)!.value = 'ana@example.com';
    $<HTMLButtonElement>(el, `[data-id="${pending.id}"] form [type="submit"]`)!.click();

    await until(el, () => shown(el).includes('That email address is too long.'), 'no error');
    expect(has(el, `#offer-email-${pending.id}`), 'field still there').to.equal(true);
    expect($(el, `#offer-error-${pending.id}`)!.getAttribute('role')).to.equal('alert');
    expect(has(el, '.escalation_confirmation'), 'confirmation').to.equal(false);
  });

  it('in a verified chat "Yes, contact me" confirms at once, and a double click sends once', async () => {
    fake.verifiedEmail = 'ana@example.com';
    const pending = offer({ escalationReason: 'financial_dispute' });
    const el = await restored(fake, pending);
    await until(el, () => shown(el).includes('Verified: ana@example.com'), 'no badge');

    const yes = inOffer(el, pending.id, '.accept')!;
    yes.click();
    yes.click();

    await until(el, () => has(el, '.escalation_confirmation'), 'no confirmation');
    expect(has(el, `#offer-email-${pending.id}`), 'email field').to.equal(false);
    expect(fake.callsOf('confirmEscalation').map((c) => c.input)).to.deep.equal([
      { offerId: pending.id },
    ]);
    expect(fake.callsOf('confirmEscalation')[0]!.credentials).to.deep.equal(CREDENTIALS);
  });

  it('a chat the widget took for verified gets the email field when the server asks for an address', async () => {
    fake.verifiedEmail = 'ana@example.com';
    const pending = offer();
    const el = await restored(fake, pending);
    await until(el, () => shown(el).includes('Verified: ana@example.com'), 'no badge');
    fake.verifiedEmail = null; // e.g. verified in a chat that was since replaced

    inOffer(el, pending.id, '.accept')!.click();
    await until(el, () => has(el, `#offer-email-${pending.id}`), 'no email field');
    expect(shown(el)).to.contain('Tell us the email address where our support team can reach you.');
  });

  it('"No thanks" declines the offer and the chat goes on', async () => {
    const pending = offer();
    const el = await restored(fake, pending);

    inOffer(el, pending.id, '.decline')!.click();
    await until(el, () => !has(el, `[data-id="${pending.id}"] .decline`), 'buttons stayed');

    expect(fake.callsOf('declineEscalation').map((c) => c.input)).to.deep.equal([
      { offerId: pending.id },
    ]);
    expect(fake.callsOf('confirmEscalation')).to.have.length(0);
    expect($(el, `[data-id="${pending.id}"]`)!.textContent).to.contain('OK, the chat goes on.');
    expect(live(el)).to.equal('OK, the chat goes on.');

    await send(el, 'Then tell me about returns');
    const call = await fake.nextSend();
    expect(call.input.text).to.equal('Then tell me about returns');
  });

  it('"Talk to a human" starts a session when there is none and shows the offer', async () => {
    const el = await mount(fake);
    await openPanel(el);
    const stored: ChatMessage[] = [];
    el.addEventListener('t0-message', (event: T0MessageEvent) => stored.push(event.message));

    const human = $<HTMLButtonElement>(el, '[part="actions"] .human')!;
    expect(human.textContent!.trim()).to.equal('Talk to a human');
    human.focus();
    const release = fake.hold();
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'Enter' }); // a second press while the first is in flight
    release();

    await until(el, () => has(el, '.escalation_offer .accept'), 'no offer');
    expect(fake.starts).to.have.length(1);
    expect(fake.callsOf('requestEscalation')).to.have.length(1);
    expect(fake.callsOf('requestEscalation')[0]!.credentials).to.deep.equal(CREDENTIALS);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).to.deep.equal(CREDENTIALS);
    expect(stored.map((m) => m.escalationReason)).to.deep.equal(['human_requested']);
    expect(live(el)).to.contain('contact you by email');
    await waitUntil(
      () => el.shadowRoot!.activeElement === $(el, '.escalation_offer .accept'),
      'focus did not move to the offer',
    );

    // The offer works like any other.
    $<HTMLButtonElement>(el, '.escalation_offer .accept')!.click();
    await until(el, () => has(el, '.escalation_offer input[type="email"]'), 'no email field');
  });

  it('"Talk to a human" in a stored session uses it rather than starting another', async () => {
    const el = await restored(fake, message({ author: 'ai', body: 'Hello.' }));
    $<HTMLButtonElement>(el, '[part="actions"] .human')!.click();
    await until(el, () => has(el, '.escalation_offer'), 'no offer');
    expect(fake.starts).to.have.length(0);
  });

  it('a failed "Talk to a human" says why and can be tried again', async () => {
    const el = await mount(fake);
    await openPanel(el);
    fake.failNext('requestEscalation', new TypeError('Failed to fetch'));
    $<HTMLButtonElement>(el, '.human')!.click();
    await until(el, () => shown(el).includes('Could not reach support.'), 'no error');
    expect($<HTMLButtonElement>(el, '.human')!.disabled).to.equal(false);

    $<HTMLButtonElement>(el, '.human')!.click();
    await until(el, () => has(el, '.escalation_offer'), 'no offer on the second try');
    expect(shown(el)).to.not.contain('Could not reach support.');
  });

  it('after an offer takes the place of the streamed reply, the list is resynced from history', async () => {
    const { el, call, visitor } = await openAndSend(fake, 'Can I get a refund?');
    call.push(
      { type: 'accepted', message: visitor },
      { type: 'delta', text: 'Sure, we will refund ' },
    );
    await until(el, () => shown(el).includes('Sure, we will refund'), 'delta not shown');

    // The server held the rest back: it stored a fallback sentence and an offer.
    const fallback = message({
      author: 'ai',
      body: 'I cannot promise that myself.',
      replyToId: visitor.id,
    });
    const held = offer({ escalationReason: 'unsafe_output', replyToId: visitor.id });
    fake.stored = [visitor, fallback, held];
    call.push({ type: 'done', message: held });
    call.end();

    await until(el, () => has(el, `[data-id="${fallback.id}"]`), 'fallback not fetched');
    expect(fake.historyCalls.at(-1)!.input).to.deep.equal({ afterId: visitor.id });
    expect(shown(el)).to.not.contain('Sure, we will refund');
    expect($$(el, '.message').map((m) => m.getAttribute('data-id'))).to.deep.equal(
      [visitor, fallback, held].map((m) => String(m.id)),
    );
    expect(has(el, `[data-id="${held.id}"] .accept`), 'offer buttons').to.equal(true);
    expect(live(el)).to.equal(`${fallback.body} ${held.body}`);
  });

  it('a plain text reply does not trigger a resync', async () => {
    const { el, call, visitor } = await openAndSend(fake, 'Hi');
    call.push(
      { type: 'accepted', message: visitor },
      { type: 'done', message: message({ author: 'ai', body: 'Hello!', replyToId: visitor.id }) },
    );
    call.end();
    await until(el, () => has(el, '.message.ai'), 'reply not shown');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.historyCalls).to.have.length(0);
  });
});
