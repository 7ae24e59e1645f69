import type { ChatMessage } from '@ticket0/contracts';
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { CREDENTIALS, FakeTransport, message, serverError } from '../test/fake-server.js';
import { $, has, restored, shown, until } from '../test/widget.js';
import type { T0ErrorEvent, T0RateEvent } from './events.js';
import type { Ticket0Chat } from './ticket0-chat.component.js';

const thumb = (el: Ticket0Chat, id: number, which: 'up' | 'down') =>
  $<HTMLButtonElement>(el, `[data-id="${id}"] .rate.${which}`)!;
const pressed = (el: Ticket0Chat, id: number) =>
  (['up', 'down'] as const).filter(
    (which) => thumb(el, id, which).getAttribute('aria-pressed') === 'true',
  );

describe('<ticket0-chat> feedback on replies', () => {
  let fake: FakeTransport;
  let question: ChatMessage;
  let reply: ChatMessage;

  beforeEach(() => {
    fake = new FakeTransport();
    question = message({
      author: 'visitor',
      body: 'Do you ship to Norway?',
      clientMessageId: 'q1aaaaaaaa',
    });
    reply = message({ author: 'ai', body: 'Yes, in 3 to 5 days.', replyToId: question.id });
  });

  it('every AI reply has labelled thumbs up / down toggles; visitor messages do not', async () => {
    const el = await restored(fake, question, reply);
    expect(thumb(el, reply.id, 'up').getAttribute('aria-label')).to.equal('Helpful');
    expect(thumb(el, reply.id, 'down').getAttribute('aria-label')).to.equal('Not helpful');
    expect(pressed(el, reply.id)).to.deep.equal([]);
    expect(has(el, `[data-id="${question.id}"] .rate`), 'thumbs on a visitor message').to.equal(
      false,
    );
  });

  it('a rating stored earlier shows as pressed after a reload', async () => {
    const el = await restored(fake, question, { ...reply, rating: 'down' });
    expect(pressed(el, reply.id)).to.deep.equal(['down']);
  });

  it('thumbs up shows at once, can be changed to down, and clicking the pressed one takes it back', async () => {
    const el = await restored(fake, question, reply);
    const events: Array<[number, string | null]> = [];
    el.addEventListener('t0-rate', (event: T0RateEvent) =>
      events.push([event.messageId, event.rating]),
    );

    const release = fake.hold();
    thumb(el, reply.id, 'up').click();
    await el.updateComplete;
    expect(pressed(el, reply.id), 'pressed before the server answered').to.deep.equal(['up']);
    release();
    await until(el, () => events.length === 1, 'no t0-rate for up');

    thumb(el, reply.id, 'down').click();
    await until(el, () => events.length === 2, 'no t0-rate for down');
    expect(pressed(el, reply.id)).to.deep.equal(['down']);

    thumb(el, reply.id, 'down').click();
    await until(el, () => events.length === 3, 'no t0-rate for taking it back');
    expect(pressed(el, reply.id)).to.deep.equal([]);

    expect(fake.callsOf('rate').map((c) => c.input)).to.deep.equal([
      { messageId: reply.id, rating: 'up' },
      { messageId: reply.id, rating: 'down' },
      { messageId: reply.id, rating: null },
    ]);
    expect(events).to.deep.equal([
      [reply.id, 'up'],
      [reply.id, 'down'],
      [reply.id, null],
    ]);
    expect(fake.callsOf('rate')[0]!.credentials).to.deep.equal(CREDENTIALS);
  });

  it('a thumbs down offers an optional reason and comment, sent with the rating', async () => {
    const el = await restored(fake, question, reply);
    thumb(el, reply.id, 'down').click();
    await until(el, () => has(el, `[data-id="${reply.id}"] form.reasons`), 'no reason form');

    const form = $<HTMLFormElement>(el, `[data-id="${reply.id}"] form.reasons`)!;
    expect(form.querySelector('legend')!.textContent).to.equal('What went wrong? (optional)');
    const choices = [...form.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    expect(choices.map((c) => c.value)).to.deep.equal(['wrong', 'unhelpful', 'rude', 'other']);
    expect(choices.map((c) => c.closest('label')!.textContent!.trim())).to.deep.equal([
      'It was wrong',
      'It did not help',
      'It was rude',
      'Something else',
    ]);
    const comment = form.querySelector<HTMLTextAreaElement>('textarea')!;
    expect(comment.maxLength).to.equal(1000);
    expect(form.querySelector(`label[for="${comment.id}"]`)!.textContent).to.equal(
      'Anything to add?',
    );

    // Keyboard: the form follows the thumbs in tab order.
    thumb(el, reply.id, 'down').focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement === choices[0], 'Tab reaches the reasons').to.equal(true);

    choices[1]!.click();
    comment.value = '  It said 3 days, it took 10.  ';
    form.querySelector<HTMLButtonElement>('[type="submit"]')!.click();
    await until(el, () => !has(el, 'form.reasons'), 'form stayed open');

    expect(fake.callsOf('rate').map((c) => c.input)).to.deep.equal([
      { messageId: reply.id, rating: 'down' },
      {
        messageId: reply.id,
        rating: 'down',
        reason: 'unhelpful',
        comment: 'It said 3 days, it took 10.',
      },
    ]);
    expect(pressed(el, reply.id)).to.deep.equal(['down']);
    expect($(el, '[aria-live="polite"]')!.textContent!.trim()).to.equal(
      'Thanks for your feedback.',
    );
  });

  it('the reason form can be skipped; the thumbs down stays', async () => {
    const el = await restored(fake, question, reply);
    thumb(el, reply.id, 'down').click();
    await until(el, () => has(el, 'form.reasons'), 'no reason form');
    $<HTMLButtonElement>(el, 'form.reasons .secondary')!.click();
    await until(el, () => !has(el, 'form.reasons'), 'form stayed open');

    expect(fake.callsOf('rate')).to.have.length(1);
    expect(pressed(el, reply.id)).to.deep.equal(['down']);
    expect(
      el.shadowRoot!.activeElement === thumb(el, reply.id, 'down'),
      'focus back on the thumb',
    ).to.equal(true);
  });

  it('a rating the server refuses is rolled back and the reason shown', async () => {
    const el = await restored(fake, question, { ...reply, rating: 'up' });
    const errors: T0ErrorEvent[] = [];
    el.addEventListener('t0-error', (event) => errors.push(event));
    fake.failNext('rate', serverError('TOO_MANY_REQUESTS', 'You are rating too quickly.', 5));
    const release = fake.hold();

    thumb(el, reply.id, 'down').click();
    await el.updateComplete;
    expect(pressed(el, reply.id), 'optimistic').to.deep.equal(['down']);
    expect(has(el, 'form.reasons'), 'reason form while in flight').to.equal(true);
    release();

    await until(el, () => shown(el).includes('You are rating too quickly.'), 'no error shown');
    expect(pressed(el, reply.id), 'rolled back').to.deep.equal(['up']);
    expect(has(el, 'form.reasons'), 'reason form after the rollback').to.equal(false);
    expect(errors.map((e) => e.code)).to.deep.equal(['TOO_MANY_REQUESTS']);

    // The next click works again and clears the error.
    thumb(el, reply.id, 'up').click();
    await until(el, () => pressed(el, reply.id).length === 0, 'take-back not shown');
    await until(el, () => !shown(el).includes('You are rating too quickly.'), 'error stayed');
    expect(fake.callsOf('rate').map((c) => c.input)).to.deep.equal([
      { messageId: reply.id, rating: 'down' },
      { messageId: reply.id, rating: null },
    ]);
  });
});
