import type { ChatMessage } from '@ticket0/contracts';
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import {
  accepted,
  CREDENTIALS,
  FakeTransport,
  message,
  replyTo,
  SERVER,
  serverError,
  STORAGE_KEY,
  storeSession,
} from '../test/fake-server.js';
import {
  $,
  $$,
  has,
  launcher,
  mount,
  openAndSend,
  openPanel,
  send,
  shown,
  textarea,
  until,
} from '../test/widget.js';
import type { T0ErrorEvent, T0MessageEvent } from './events.js';
import type { Ticket0Chat } from './ticket0-chat.component.js';

describe('<ticket0-chat>', () => {
  let fake: FakeTransport;

  beforeEach(() => (fake = new FakeTransport()));

  describe('opening and closing', () => {
    it('the launcher opens the panel and puts the cursor in the message box', async () => {
      const el = await mount(fake);
      expect(has(el, '[part="panel"]'), '[part="panel"]').to.equal(false);
      expect(launcher(el).getAttribute('aria-expanded')).to.equal('false');

      const input = await openPanel(el);

      expect(el.isOpen).to.equal(true);
      expect(el.hasAttribute('open')).to.equal(true);
      expect(launcher(el).getAttribute('aria-expanded')).to.equal('true');
      expect($(el, '[part="panel"]')!.hidden).to.equal(false);
      expect(input.getAttribute('aria-label')).to.equal('Message');
    });

    it('Esc closes the panel and focus returns to the launcher', async () => {
      const el = await mount(fake);
      await openPanel(el);

      await sendKeys({ press: 'Escape' });
      await el.updateComplete;

      expect(el.isOpen).to.equal(false);
      expect(el.hasAttribute('open')).to.equal(false);
      expect($(el, '[part="panel"]')!.hidden).to.equal(true);
      expect(el.shadowRoot!.activeElement === launcher(el), 'focus on the launcher').to.equal(true);
    });

    it('the close button closes the panel and a draft survives closing', async () => {
      const el = await mount(fake);
      const input = await openPanel(el);
      input.value = 'half a thought';

      $<HTMLButtonElement>(el, '.close')!.click();
      await el.updateComplete;
      expect(el.isOpen).to.equal(false);
      expect(el.shadowRoot!.activeElement === launcher(el), 'focus on the launcher').to.equal(true);

      await openPanel(el);
      expect(textarea(el)!.value).to.equal('half a thought');
    });

    it('open(), close(), toggle() and the open attribute drive the same state', async () => {
      const el = await mount(fake);
      el.open();
      await el.updateComplete;
      expect(el.hasAttribute('open')).to.equal(true);
      el.toggle();
      await el.updateComplete;
      expect(el.isOpen).to.equal(false);
      el.setAttribute('open', '');
      await el.updateComplete;
      expect(el.isOpen).to.equal(true);
      await until(el, () => textarea(el) !== null, 'the panel did not load');
      el.close();
      await el.updateComplete;
      expect(el.hasAttribute('open')).to.equal(false);
    });

    it('opening does not start a chat session; only the first send does', async () => {
      const el = await mount(fake);
      await openPanel(el);
      expect(fake.starts).to.have.length(0);
      expect(fake.historyCalls).to.have.length(0);
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
      expect(shown(el)).to.contain('Hi! How can we help?');
    });
  });

  describe('sending', () => {
    it('Enter sends the message and Shift+Enter inserts a newline', async () => {
      const el = await mount(fake);
      await openPanel(el);

      await sendKeys({ type: 'first line' });
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Enter' });
      await sendKeys({ up: 'Shift' });
      await sendKeys({ type: 'second line' });
      expect(textarea(el)!.value).to.equal('first line\nsecond line');
      expect(fake.sends).to.have.length(0);

      await sendKeys({ press: 'Enter' });
      const call = await fake.nextSend();

      expect(call.input.text).to.equal('first line\nsecond line');
      expect(call.input.clientMessageId).to.match(/^[A-Za-z0-9_-]{8,64}$/);
      expect(textarea(el)!.value).to.equal('');
      expect(fake.starts).to.have.length(1);
      expect(call.credentials).to.deep.equal(CREDENTIALS);
    });

    it('typing the first message starts the chat session, so the send is a single request', async () => {
      const el = await mount(fake);
      await openPanel(el);
      await sendKeys({ type: 'Hi' });
      await waitUntil(() => fake.starts.length === 1, 'no session started while typing');
      await sendKeys({ type: ' there' });
      expect(fake.sends).to.have.length(0);

      await sendKeys({ press: 'Enter' });
      const call = await fake.nextSend();
      expect(call.input.text).to.equal('Hi there');
      expect(call.credentials).to.deep.equal(CREDENTIALS);
      expect(fake.starts).to.have.length(1);
      // Kept only once the message is accepted, as before.
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
    });

    it('an empty or blank message is not sent', async () => {
      const el = await mount(fake);
      await openPanel(el);
      await sendKeys({ type: '   ' });
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(fake.starts).to.have.length(0);
      expect(fake.sends).to.have.length(0);
    });

    it('a typing indicator shows until the first piece of the reply arrives', async () => {
      const { el, call } = await openAndSend(fake, 'Hello?');
      call.push({ type: 'accepted', message: accepted(call) });
      await until(el, () => $(el, '.mine:not(.pending)') !== null, 'visitor message not shown');

      expect(has(el, '.streaming .typing'), '.streaming .typing').to.equal(true);
      expect($(el, '.streaming .typing')!.textContent).to.contain('Support is typing…');

      call.push({ type: 'delta', text: 'Hi there.' });
      await until(el, () => $(el, '.streaming .typing') === null, 'typing indicator stayed');
      expect($(el, '.streaming .bubble')!.textContent).to.contain('Hi there.');
    });

    it('reply pieces appear as they arrive and the stored reply replaces the streaming text', async () => {
      const { el, call, visitor } = await openAndSend(fake, 'Where is my parcel?');
      call.push({ type: 'accepted', message: visitor });

      call.push({ type: 'delta', text: 'Let me check. ' });
      await until(
        el,
        () => $(el, '.streaming .bubble')?.textContent?.includes('Let me check.') ?? false,
        'first piece not shown',
      );
      expect($(el, '.streaming .bubble')!.textContent).to.not.contain('It left');

      call.push({ type: 'delta', text: 'It left the warehouse today.' });
      await until(
        el,
        () => $(el, '.streaming .bubble')?.textContent?.includes('It left the warehouse') ?? false,
        'second piece not appended',
      );
      expect($(el, '.streaming .bubble')!.textContent).to.contain(
        'Let me check. It left the warehouse today.',
      );
      expect(has(el, '.stop'), '.stop').to.equal(true);

      const reply = message({
        author: 'ai',
        body: 'Let me check. It left the warehouse today.',
        replyToId: visitor.id,
      });
      call.push({ type: 'done', message: reply });
      call.end();
      await until(el, () => $(el, '.streaming') === null, 'streaming bubble stayed');

      const replies = $$(el, '.message.ai');
      expect(replies).to.have.length(1);
      expect(replies[0]!.getAttribute('data-id')).to.equal(String(reply.id));
      expect(replies[0]!.textContent).to.contain('It left the warehouse today.');
      expect(has(el, '.stop'), '.stop').to.equal(false);
      expect(has(el, '.send'), '.send').to.equal(true);
    });

    it('the session is saved to localStorage only once the first message is accepted', async () => {
      const el = await mount(fake);
      await openPanel(el);
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);

      await send(el, 'Hi');
      const call = await fake.nextSend();
      expect(fake.starts).to.have.length(1);
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);

      call.push({ type: 'accepted', message: accepted(call) });
      await waitUntil(() => localStorage.getItem(STORAGE_KEY) !== null, 'session not saved');
      expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).to.deep.equal(CREDENTIALS);
    });

    it('without a server attribute the widget talks to the origin it was loaded from', async () => {
      const el = await mount(fake, null);
      expect(el.serverUrl).to.equal(location.origin);
      await openPanel(el);
      await send(el, 'Hi');
      const call = await fake.nextSend();
      call.push({ type: 'accepted', message: accepted(call) });
      await waitUntil(() => localStorage.getItem(`ticket0-chat:${location.origin}`) !== null);
    });
  });

  describe('model output is text', () => {
    const hostile =
      'Try <img src=x onerror=alert(1)> or javascript:alert(1) — details at https://example.com/help?a=1&b=2.';

    const realAlert = window.alert;
    let alerts = 0;
    beforeEach(() => {
      // Were the markup ever parsed, its onerror would call alert(), which would block the
      // page; counting calls instead makes such a regression fail fast.
      alerts = 0;
      window.alert = () => void alerts++;
    });
    afterEach(() => {
      window.alert = realAlert;
    });

    it('markup in a reply stays literal text and only http(s) URLs become safe links', async () => {
      const { el, call, visitor } = await openAndSend(fake, 'Show me');
      call.push({ type: 'accepted', message: visitor }, { type: 'delta', text: hostile });
      await until(el, () => $(el, '.streaming .bubble a') !== null, 'streaming text not shown');
      expect(has(el, '.streaming img'), '.streaming img').to.equal(false);

      call.push({
        type: 'done',
        message: message({ author: 'ai', body: hostile, replyToId: visitor.id }),
      });
      call.end();
      await until(el, () => $(el, '.message.ai') !== null, 'reply not shown');

      const bubble = $(el, '.message.ai .bubble')!;
      expect(has(el, 'img'), 'img').to.equal(false);
      expect(bubble.textContent).to.contain('<img src=x onerror=alert(1)>');
      expect(bubble.textContent).to.contain('javascript:alert(1)');

      const links = [...bubble.querySelectorAll('a')];
      expect(links).to.have.length(1);
      expect(links[0]!.getAttribute('href')).to.equal('https://example.com/help?a=1&b=2');
      expect(links[0]!.textContent).to.equal('https://example.com/help?a=1&b=2');
      expect(links[0]!.target).to.equal('_blank');
      expect(links[0]!.rel.split(' ')).to.include.members(['noopener', 'noreferrer', 'nofollow']);
      await new Promise((resolve) => setTimeout(resolve, 50)); // let a broken <img> fire onerror
      expect(alerts).to.equal(0);
    });

    it('sources under a reply are links to the articles that open safely; other schemes stay text', async () => {
      fake.stored = [
        message({
          author: 'ai',
          body: 'Parcels to Norway take 3 to 5 days.',
          citations: [
            {
              articleId: 1,
              title: 'Shipping times',
              url: 'https://support.example.com/kb/shipping',
            },
            { articleId: 2, title: 'Returns', url: '/kb/returns' },
            { articleId: 3, title: 'Click me', url: 'javascript:alert(1)' },
            { articleId: 4, title: '<img src=x onerror=alert(1)>', url: 'data:text/html,<b>x</b>' },
          ],
        }),
      ];
      storeSession();
      const el = await mount(fake);
      await openPanel(el);
      await until(el, () => has(el, '.message.ai .sources'), 'no sources');

      const sources = $(el, '.message.ai .sources')!;
      expect(sources.querySelector('ul')!.getAttribute('aria-labelledby')).to.equal(
        sources.querySelector('p')!.id,
      );
      expect(sources.querySelector('p')!.textContent).to.equal('Sources');
      const links = [...sources.querySelectorAll('a')];
      expect(links.map((a) => [a.textContent, a.getAttribute('href')])).to.deep.equal([
        ['Shipping times', 'https://support.example.com/kb/shipping'],
        // An article page belongs to the chat server, not to the page embedding the widget.
        ['Returns', 'https://support.example.com/kb/returns'],
      ]);
      for (const link of links) {
        expect(link.target).to.equal('_blank');
        expect(link.rel.split(' ')).to.include.members(['noopener', 'noreferrer']);
      }
      expect(sources.textContent).to.contain('Click me');
      expect(sources.textContent).to.contain('<img src=x onerror=alert(1)>');
      expect(sources.querySelectorAll('li')).to.have.length(4);
      expect(has(el, 'img'), 'img').to.equal(false);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(alerts).to.equal(0);
    });

    it('newlines in a reply are kept', async () => {
      fake.stored = [message({ author: 'ai', body: 'Line one\nLine two' })];
      storeSession();
      const el = await mount(fake);
      await openPanel(el);
      await until(el, () => $(el, '.message.ai') !== null, 'history not shown');
      const bubble = $(el, '.message.ai .bubble')!;
      expect(getComputedStyle(bubble).whiteSpace).to.equal('pre-wrap');
      expect(bubble.getBoundingClientRect().height).to.be.greaterThan(
        parseFloat(getComputedStyle(bubble).lineHeight) * 1.5,
      );
    });
  });

  describe('history', () => {
    it('a new page with a stored session shows the earlier conversation', async () => {
      storeSession();
      const question = message({
        author: 'visitor',
        body: 'Do you ship to Norway?',
        clientMessageId: 'c1aaaaaaaa',
      });
      const answer = message({
        author: 'ai',
        body: 'Yes, in 3 to 5 days.',
        replyToId: question.id,
      });
      fake.stored = [question, answer];

      const el = await mount(fake);
      expect(fake.historyCalls).to.have.length(0);
      await openPanel(el);
      await until(el, () => $$(el, '.message').length === 2, 'history not shown');

      expect(fake.historyCalls).to.have.length(1);
      expect(fake.historyCalls[0]!.credentials).to.deep.equal(CREDENTIALS);
      expect(fake.historyCalls[0]!.input).to.deep.equal({});
      expect(shown(el)).to.contain('Do you ship to Norway?');
      expect(shown(el)).to.contain('Yes, in 3 to 5 days.');

      // Sending continues the same session rather than starting another.
      await send(el, 'Great');
      const call = await fake.nextSend();
      expect(fake.starts).to.have.length(0);
      expect(call.credentials).to.deep.equal(CREDENTIALS);
    });

    it('a stored session the server no longer knows is forgotten and the next send starts afresh', async () => {
      storeSession();
      fake.historyError = serverError('UNAUTHORIZED', 'This chat has ended.');
      const el = await mount(fake);
      await openPanel(el);
      await waitUntil(() => localStorage.getItem(STORAGE_KEY) === null, 'session not forgotten');
      await el.updateComplete;
      expect(shown(el)).to.not.contain('This chat has ended.');

      await send(el, 'Hello again');
      await fake.nextSend();
      expect(fake.starts).to.have.length(1);
    });

    it('a send refused with NOT_FOUND for a stored session is sent again in a new session', async () => {
      storeSession();
      const el = await mount(fake);
      await openPanel(el);
      await send(el, 'Still there?');
      const first = await fake.nextSend();
      expect(fake.starts).to.have.length(0);
      first.fail(serverError('NOT_FOUND', 'This chat session does not exist.'));

      const second = await fake.nextSend();
      expect(fake.starts).to.have.length(1);
      expect(second.input.clientMessageId).to.equal(first.input.clientMessageId);
      expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
    });
  });

  describe('failures', () => {
    it('a failed send shows Retry, which resends with the same clientMessageId', async () => {
      const el = await mount(fake);
      await openPanel(el);
      const errors: T0ErrorEvent[] = [];
      el.addEventListener('t0-error', (event) => errors.push(event));

      await send(el, 'Can I change my address?');
      const first = await fake.nextSend();
      first.fail(new TypeError('Failed to fetch'));
      await until(el, () => $(el, '.retry') !== null, 'no Retry button');

      expect(shown(el)).to.contain('Can I change my address?');
      expect(shown(el)).to.contain('Could not reach support.');
      expect(errors.map((e) => e.code)).to.deep.equal(['NETWORK']);

      $<HTMLButtonElement>(el, '.retry')!.click();
      const second = await fake.nextSend();
      expect(second.input.clientMessageId).to.equal(first.input.clientMessageId);
      expect(second.input.text).to.equal('Can I change my address?');
      expect(fake.starts).to.have.length(1);

      const visitor = accepted(second);
      second.push(
        { type: 'accepted', message: visitor },
        { type: 'done', message: replyTo(visitor, 'Yes.') },
      );
      second.end();
      await until(el, () => $(el, '.message.ai') !== null, 'reply not shown');
      expect(has(el, '.retry'), '.retry').to.equal(false);
      expect($$(el, '.message.mine')).to.have.length(1);
    });

    it('a reply that breaks off is offered for Retry after resyncing with history', async () => {
      const { el, call, visitor } = await openAndSend(fake, 'Tell me everything');
      fake.stored = [visitor];
      call.push({ type: 'accepted', message: visitor }, { type: 'delta', text: 'Well, ' });
      call.end();

      await until(el, () => $(el, '.retry') !== null, 'no Retry button');
      expect(fake.historyCalls.at(-1)!.input).to.deep.equal({ afterId: visitor.id });
      expect(shown(el)).to.contain('The reply broke off before it was complete.');
      expect(has(el, '.streaming'), '.streaming').to.equal(false);

      $<HTMLButtonElement>(el, '.retry')!.click();
      const again = await fake.nextSend();
      expect(again.input.clientMessageId).to.equal(call.input.clientMessageId);
    });

    it('TOO_MANY_REQUESTS shows the seconds to wait and counts them down', async () => {
      const el = await mount(fake);
      await openPanel(el);
      // Typed through HTMLElementEventMap: no cast needed to read code and message.
      const error = new Promise<T0ErrorEvent>((resolve) =>
        el.addEventListener('t0-error', resolve, { once: true }),
      );
      await send(el, 'Hello');
      const call = await fake.nextSend();
      call.fail(serverError('TOO_MANY_REQUESTS', 'You are sending messages too quickly.', 12));

      const event = await error;
      expect(event.code).to.equal('TOO_MANY_REQUESTS');
      expect(event.message).to.equal('You are sending messages too quickly.');
      await el.updateComplete;
      expect(shown(el)).to.contain('You are sending messages too quickly.');
      expect(shown(el)).to.contain('Try again in 12 s');
      expect($<HTMLButtonElement>(el, '.retry')!.disabled).to.equal(true);
      expect($<HTMLButtonElement>(el, '.send')!.disabled).to.equal(true);

      await until(el, () => shown(el).includes('Try again in 11 s'), 'no countdown', 2500);
    });

    it('an unexpected server failure shows a plain apology, not the server internals', async () => {
      const { el, call } = await openAndSend(fake, 'Hello');
      call.fail(
        serverError('INTERNAL_SERVER_ERROR', "Cannot read properties of undefined (reading 'x')"),
      );
      await until(el, () => has(el, '.retry'), 'no Retry button');
      expect(shown(el)).to.contain('Something went wrong on our side.');
      expect(shown(el)).to.not.contain('Cannot read properties');
    });

    it('Stop aborts the request and the conversation is resynced from history', async () => {
      const { el, call, visitor } = await openAndSend(fake, 'Write me a poem');
      call.push({ type: 'accepted', message: visitor }, { type: 'delta', text: 'Roses are red.' });
      await until(
        el,
        () => $(el, '.stop') !== null && shown(el).includes('Roses'),
        'not streaming',
      );

      const partial = replyTo(visitor, 'Roses are red.', { interrupted: true });
      fake.stored = [visitor, partial];
      $<HTMLButtonElement>(el, '.stop')!.click();

      expect(call.signal.aborted).to.equal(true);
      await until(el, () => $(el, '.message.ai') !== null, 'stored partial reply not shown');
      expect(fake.historyCalls.at(-1)!.input).to.deep.equal({ afterId: visitor.id });
      expect(has(el, '.streaming'), '.streaming').to.equal(false);
      expect(has(el, '.stop'), '.stop').to.equal(false);
      expect(has(el, '.retry'), '.retry').to.equal(false);
      expect($(el, '.message.ai')!.textContent).to.contain('Reply stopped.');
    });

    it('after Stop the partial reply stays on screen until the server has stored it', async () => {
      const { el, call, visitor } = await openAndSend(fake, 'Write me a poem');
      call.push(
        { type: 'accepted', message: visitor },
        { type: 'delta', text: 'Violets are blue.' },
      );
      await until(el, () => shown(el).includes('Violets'), 'not streaming');

      // The server has not noticed the abort yet when the widget first resyncs.
      fake.stored = [visitor];
      $<HTMLButtonElement>(el, '.stop')!.click();
      await until(el, () => fake.historyCalls.length === 1 && !has(el, '.stop'), 'no resync');
      await el.updateComplete;
      expect(has(el, '.message.stopped'), '.message.stopped').to.equal(true);
      expect($(el, '.message.stopped')!.textContent).to.contain('Violets are blue.');
      expect($(el, '.message.stopped')!.textContent).to.contain('Reply stopped.');
      expect(has(el, '.retry'), '.retry').to.equal(false);

      const partial = replyTo(visitor, 'Violets are blue.', { interrupted: true });
      fake.stored = [visitor, partial];
      await until(el, () => has(el, '.message.ai'), 'stored reply not fetched later', 4000);
      expect(fake.historyCalls).to.have.length(2);
      expect(has(el, '.message.stopped'), '.message.stopped').to.equal(false);
      expect($$(el, '.message.theirs')).to.have.length(1);
    });
  });

  describe('events', () => {
    it('t0-open, t0-message (visitor and reply) and t0-close carry typed fields', async () => {
      const el = await mount(fake);
      const log: string[] = [];
      const stored: ChatMessage[] = [];
      el.addEventListener('t0-open', (event) => log.push(event.type));
      el.addEventListener('t0-close', (event) => log.push(event.type));
      el.addEventListener('t0-message', (event: T0MessageEvent) => {
        log.push(event.type);
        stored.push(event.message);
      });
      // The events cross the shadow boundary and bubble to the document.
      const atDocument = oneEvent(document, 't0-open');

      await openPanel(el);
      expect((await atDocument).composed).to.equal(true);

      await send(el, 'Hi');
      const call = await fake.nextSend();
      const visitor = accepted(call);
      const reply = replyTo(visitor, 'Hello!');
      call.push({ type: 'accepted', message: visitor }, { type: 'done', message: reply });
      call.end();
      await waitUntil(() => stored.length === 2, 'no t0-message for the reply');
      el.close();
      await el.updateComplete;

      expect(log).to.deep.equal(['t0-open', 't0-message', 't0-message', 't0-close']);
      expect(stored[0]).to.deep.equal(visitor);
      expect(stored[1]!.author).to.equal('ai');
      expect(stored[1]!.body).to.equal('Hello!');
      expect(stored[1]!.createdAt).to.be.instanceOf(Date);
    });
  });

  describe('wording and accessibility', () => {
    it('the strings property rewords the widget and keeps defaults for the rest', async () => {
      const el = await fixture<Ticket0Chat>(
        html`<ticket0-chat
          server=${SERVER}
          .transport=${fake}
          .strings=${{
            title: 'Aide',
            launcherLabel: 'Ouvrir le chat',
            placeholder: 'Votre message…',
            send: 'Envoyer',
          }}
        ></ticket0-chat>`,
      );
      expect(launcher(el).getAttribute('aria-label')).to.equal('Ouvrir le chat');
      await openPanel(el);
      expect($(el, '#title')!.textContent).to.equal('Aide');
      expect(textarea(el)!.placeholder).to.equal('Votre message…');
      expect($(el, '.send')!.textContent!.trim()).to.equal('Envoyer');
      expect($(el, '.close')!.getAttribute('aria-label')).to.equal('Close chat');
    });

    it('the live region announces each completed reply, not each piece', async () => {
      const el = await mount(fake);
      await openPanel(el);
      const live = $(el, '[aria-live="polite"]')!;
      await send(el, 'Hi');
      const call = await fake.nextSend();
      const visitor = accepted(call);
      call.push({ type: 'accepted', message: visitor }, { type: 'delta', text: 'Hello. ' });
      await until(el, () => shown(el).includes('Hello.'), 'delta not shown');
      expect(live.textContent!.trim()).to.equal('');

      call.push({
        type: 'done',
        message: replyTo(visitor, 'Hello. How can I help?'),
      });
      call.end();
      await until(el, () => live.textContent!.trim() !== '', 'nothing announced');
      expect(live.textContent!.trim()).to.equal('Hello. How can I help?');
      // The conversation log itself stays quiet so pieces are not read one by one.
      expect($(el, '[role="log"]')!.getAttribute('aria-live')).to.equal('off');
    });

    it('every control has an accessible name and the open widget passes axe', async () => {
      fake.stored = [
        message({ author: 'visitor', body: 'Hi', clientMessageId: 'c2aaaaaaaa' }),
        message({ author: 'ai', body: 'Hello! See https://example.com.' }),
      ];
      storeSession();
      const el = await mount(fake);
      await openPanel(el);
      await until(el, () => $$(el, '.message').length === 2, 'history not shown');
      for (const control of $$(el, 'button, textarea, [role="log"], [role="dialog"]')) {
        const name =
          control.getAttribute('aria-label') ??
          (control.getAttribute('aria-labelledby') &&
            $(el, `#${control.getAttribute('aria-labelledby')}`)?.textContent) ??
          control.textContent;
        expect(name?.trim(), control.outerHTML).to.not.equal('');
      }
      await expect(el).to.be.accessible();
    });

    it('offers, feedback toggles, sources and the action bar are named and pass axe', async () => {
      fake.stored = [
        message({ author: 'visitor', body: 'I want a refund', clientMessageId: 'c3aaaaaaaa' }),
        message({
          author: 'ai',
          body: 'Here is our policy.',
          rating: 'up',
          citations: [
            { articleId: 1, title: 'Refunds', url: 'https://support.example.com/kb/refunds' },
          ],
        }),
        message({
          author: 'ai',
          kind: 'escalation_offer',
          body: 'Shall our support team contact you?',
          escalationReason: 'financial_dispute',
          offerStatus: 'pending',
        }),
        message({
          author: 'system',
          kind: 'escalation_confirmation',
          body: 'Our support team will write to ana@example.com.',
        }),
      ];
      storeSession();
      const el = await mount(fake);
      await openPanel(el);
      await until(el, () => $$(el, '.message').length === 4, 'history not shown');
      $<HTMLButtonElement>(el, '.rate.down')!.click();
      await until(el, () => has(el, 'form.reasons'), 'no reason form');
      $<HTMLButtonElement>(el, '.escalation_offer .accept')!.click();
      await until(el, () => has(el, '.escalation_offer input'), 'no email field');

      for (const control of $$(el, 'button')) {
        const name = control.getAttribute('aria-label') ?? control.textContent;
        expect(name?.trim(), control.outerHTML).to.not.equal('');
      }
      for (const field of $$(el, 'input:not([type="radio"]), textarea')) {
        const labelled = field.hasAttribute('aria-label') || has(el, `label[for="${field.id}"]`);
        expect(labelled, field.outerHTML).to.equal(true);
      }
      await expect(el).to.be.accessible();
    });

    it('the actions are reachable with the keyboard in a right-to-left page', async () => {
      const el = await fixture<Ticket0Chat>(
        html`<ticket0-chat dir="rtl" server=${SERVER} .transport=${fake}></ticket0-chat>`,
      );
      await openPanel(el);
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      // Backwards from the message box: the conversation log, then the last action.
      expect(el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('Verify your email');
      const bar = $(el, '[part="actions"]')!.getBoundingClientRect();
      const human = $(el, '.human')!.getBoundingClientRect();
      // Mirrored: the first action sits at the right edge of the bar.
      expect(bar.right - human.right).to.be.lessThan(20);
    });

    it('the message box uses a 16px font so phones do not zoom in', async () => {
      const el = await mount(fake);
      const input = await openPanel(el);
      expect(getComputedStyle(input).fontSize).to.equal('16px');
    });

    it('the panel fills the screen on a narrow phone', async () => {
      await setViewport({ width: 375, height: 667 });
      const el = await mount(fake);
      await openPanel(el);
      const box = $(el, '[part="panel"]')!.getBoundingClientRect();
      expect(box.width).to.equal(375);
      expect(box.height).to.equal(667);
    });

    it('in a right-to-left page the launcher sits at the left edge', async () => {
      const el = await fixture<Ticket0Chat>(
        html`<ticket0-chat dir="rtl" server=${SERVER} .transport=${fake}></ticket0-chat>`,
      );
      const box = launcher(el).getBoundingClientRect();
      expect(box.left).to.be.lessThan(100);
      const ltr = await mount(fake);
      expect(launcher(ltr).getBoundingClientRect().right).to.be.greaterThan(innerWidth - 100);
    });

    it('styles of the host page do not leak into the widget', async () => {
      const style = document.createElement('style');
      style.textContent =
        'body { font: italic 30px serif; color: rgb(255, 0, 0); letter-spacing: 5px; }';
      document.head.append(style);
      try {
        const el = await mount(fake);
        await openPanel(el);
        const title = getComputedStyle($(el, '#title')!);
        expect(title.fontStyle).to.equal('normal');
        expect(title.letterSpacing).to.equal('normal');
        expect(title.color).to.not.equal('rgb(255, 0, 0)');
      } finally {
        style.remove();
      }
    });

    it('--t0-accent themes the launcher', async () => {
      const el = await mount(fake);
      el.style.setProperty('--t0-accent', 'rgb(1, 2, 3)');
      expect(getComputedStyle(launcher(el)).backgroundColor).to.equal('rgb(1, 2, 3)');
    });
  });
});
