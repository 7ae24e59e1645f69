import type { ChatMessage } from '@ticket0/contracts';
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatCredentials } from '../src/internal/transport.js';
import { accepted, FakeTransport, message, SERVER, STORAGE_KEY } from '../test/fake-server.js';
import {
  $,
  $$,
  has,
  launcher,
  mount,
  openPanel,
  restored,
  send,
  textarea,
  until,
} from '../test/widget.js';
import type { Ticket0Chat } from './ticket0-chat.component.js';

// What went wrong on real sites: each test here failed before its fix.

const offer = (fields: Partial<ChatMessage> = {}): ChatMessage =>
  message({
    author: 'ai',
    kind: 'escalation_offer',
    body: 'Shall our support team contact you by email?',
    escalationReason: 'ai_uncertain',
    offerStatus: 'pending',
    ...fields,
  });

/** A browser tab's server: each one answers `chat.start` with a session of its own. */
class TabServer extends FakeTransport {
  constructor(readonly session: ChatCredentials) {
    super();
  }

  override readonly start: FakeTransport['start'] = async (input) => {
    this.starts.push(input);
    return this.session;
  };
}

const sessionA = { sessionId: 'cs_AAAAAAAAAAAAAAAAAAAAA1', visitorToken: 'A'.repeat(43) };
const sessionB = { sessionId: 'cs_BBBBBBBBBBBBBBBBBBBBB2', visitorToken: 'B'.repeat(43) };

describe('<ticket0-chat> on real sites', () => {
  it('every message bubble takes its direction from its own text (dir="auto")', async () => {
    const el = await restored(
      new FakeTransport(),
      message({ author: 'visitor', body: 'Canada?' }),
      message({ author: 'ai', body: 'نعم، نشحن إلى كندا.' }),
    );
    const bubbles = $$(el, '.message .bubble');
    expect(bubbles.length).to.equal(2);
    expect(bubbles.map((b) => b.getAttribute('dir'))).to.deep.equal(['auto', 'auto']);
    // The screen-reader label ("Support: ") does not decide the direction.
    expect(bubbles.map((b) => b.matches(':dir(rtl)'))).to.deep.equal([false, true]);
  });

  it('the launcher is named for what it does: open while closed, close while open', async () => {
    const el = await mount(new FakeTransport());
    expect(launcher(el).getAttribute('aria-label')).to.equal('Open support chat');
    await openPanel(el);
    expect(launcher(el).getAttribute('aria-label')).to.equal('Close chat');
  });

  it('an offer is superseded by a newer offer or an answer: only the latest stays clickable', async () => {
    const first = offer();
    const second = offer();
    const answered = offer();
    const reply = message({ author: 'ai', body: 'We ship to Canada in 5 days.' });
    const last = offer();
    const el = await restored(new FakeTransport(), first, second, answered, reply, last);
    expect(has(el, `[data-id="${first.id}"] button`), 'first offer still clickable').to.equal(
      false,
    );
    expect(has(el, `[data-id="${second.id}"] button`), 'second offer still clickable').to.equal(
      false,
    );
    expect(has(el, `[data-id="${answered.id}"] button`), 'answered offer clickable').to.equal(
      false,
    );
    expect(has(el, `[data-id="${last.id}"] .accept`), 'latest offer').to.equal(true);
  });

  it('with the launcher hidden, Escape returns focus to the page button that opened the panel', async () => {
    const page = await fixture<HTMLElement>(
      html`<div>
        <button id="help">Help</button>
        <ticket0-chat
          server=${SERVER}
          launcher="hidden"
          .transport=${new FakeTransport()}
        ></ticket0-chat>
      </div>`,
    );
    const el = page.querySelector('ticket0-chat')!;
    const help = page.querySelector<HTMLButtonElement>('#help')!;
    expect(getComputedStyle(launcher(el)).display).to.equal('none');
    help.addEventListener('click', () => el.open());
    help.focus();
    help.click();
    await waitUntil(() => el.shadowRoot!.activeElement === textarea(el), 'no focus in the panel');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(el.isOpen).to.equal(false);
    expect(document.activeElement === help, 'focus is back on the page button').to.equal(true);
  });

  describe('two tabs', () => {
    // Two elements on one page share localStorage, Web Locks and BroadcastChannel as two
    // tabs of one site do.
    async function twoTabs(): Promise<[Ticket0Chat, TabServer, Ticket0Chat, TabServer]> {
      const a = new TabServer(sessionA);
      const b = new TabServer(sessionB);
      const elA = await mount(a);
      const elB = await mount(b);
      await openPanel(elA);
      await openPanel(elB);
      return [elA, a, elB, b];
    }

    it('the second tab joins the first one’s chat instead of starting a second one', async () => {
      const [elA, a, elB, b] = await twoTabs();
      await send(elA, 'Do you ship to Canada?');
      const callA = await a.nextSend();
      const question = accepted(callA);
      const reply = message({ author: 'ai', body: 'Yes, in 5 days.', replyToId: question.id });
      callA.push({ type: 'accepted', message: question }, { type: 'done', message: reply });
      callA.end();
      b.stored = [question, reply];
      await until(elA, () => $$(elA, '.message').length === 2, 'tab A shows its chat');

      // Tab B shows the chat too, without sending anything.
      await until(elB, () => $$(elB, '.message').length === 2, 'tab B did not join the chat');

      await send(elB, 'And to Mexico?');
      const callB = await b.nextSend();
      expect(b.starts, 'tab B started a session of its own').to.have.length(0);
      expect(callB.credentials).to.deep.equal(sessionA);
      const second = accepted(callB);
      callB.push({ type: 'accepted', message: second });
      await until(elA, () => $$(elA, '.message').length === 3, 'tab A did not see tab B’s message');
      expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).to.deep.equal(sessionA);
      callB.end();
    });

    it('two tabs sending their first message at once still make one session', async () => {
      const [elA, a, elB, b] = await twoTabs();
      await send(elA, 'first');
      await send(elB, 'second');
      const callA = await a.nextSend();
      const callB = await b.nextSend();
      expect(a.starts.length + b.starts.length).to.equal(1);
      expect(callB.credentials).to.deep.equal(callA.credentials);
      callA.push({ type: 'accepted', message: accepted(callA) });
      callB.push({ type: 'accepted', message: accepted(callB) });
      await waitUntil(() => localStorage.getItem(STORAGE_KEY) !== null, 'session not saved');
      expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).to.deep.equal(callA.credentials);
      callA.end();
      callB.end();
      void $;
    });
  });
});

describe('<ticket0-chat> in the visitor’s language', () => {
  const title = (el: Ticket0Chat) => $(el, '#title')!.textContent!.trim();

  it('follows the page’s lang: French strings, and the chat starts with that locale', async () => {
    const fake = new FakeTransport();
    const page = await fixture<HTMLElement>(
      html`<div lang="fr-FR">
        <ticket0-chat server=${SERVER} .transport=${fake}></ticket0-chat>
      </div>`,
    );
    const el = page.querySelector('ticket0-chat')!;
    await waitUntil(
      () => launcher(el).getAttribute('aria-label') === 'Ouvrir le chat d’assistance',
      'not French',
    );
    await openPanel(el);
    expect(title(el)).to.equal('Assistance');
    expect(textarea(el)!.placeholder).to.equal('Écrivez votre message…');
    await send(el, 'Bonjour');
    await fake.nextSend();
    expect(fake.starts).to.deep.equal([{ locale: 'fr-FR' }]);
  });

  it('lang="ar" on the element lays the panel out right to left, in Arabic', async () => {
    const el = await fixture<Ticket0Chat>(
      html`<ticket0-chat
        lang="ar"
        server=${SERVER}
        .transport=${new FakeTransport()}
      ></ticket0-chat>`,
    );
    await waitUntil(
      () => launcher(el).getAttribute('aria-label') === 'فتح دردشة الدعم',
      'not Arabic',
    );
    await openPanel(el);
    expect(title(el)).to.equal('الدعم');
    expect(getComputedStyle($(el, '[part="panel"]')!).direction).to.equal('rtl');
  });

  it('the element’s lang wins over the page’s, and `strings` over both', async () => {
    const page = await fixture<HTMLElement>(
      html`<div lang="fr">
        <ticket0-chat
          lang="de"
          server=${SERVER}
          .transport=${new FakeTransport()}
          .strings=${{ title: 'Hilfe von Acme' }}
        ></ticket0-chat>
      </div>`,
    );
    const el = page.querySelector('ticket0-chat')!;
    await waitUntil(
      () => launcher(el).getAttribute('aria-label') === 'Support-Chat öffnen',
      'not German',
    );
    await openPanel(el);
    expect(title(el)).to.equal('Hilfe von Acme');
    expect($(el, '.send')!.textContent!.trim()).to.equal('Senden');
  });

  it('without any lang, the browser’s languages choose', async () => {
    const own = Object.getOwnPropertyDescriptor(navigator, 'languages');
    Object.defineProperty(navigator, 'languages', {
      value: ['ja-JP', 'nl-BE'],
      configurable: true,
    });
    const lang = document.documentElement.lang;
    document.documentElement.removeAttribute('lang');
    try {
      const el = await mount(new FakeTransport());
      await waitUntil(
        () => launcher(el).getAttribute('aria-label') === 'Supportchat openen',
        'not Dutch',
      );
    } finally {
      if (own) Object.defineProperty(navigator, 'languages', own);
      else delete (navigator as { languages?: unknown }).languages;
      if (lang) document.documentElement.lang = lang;
    }
  });
});

describe('<ticket0-chat> says it is an AI', () => {
  it('labels every assistant message and the header, and says a person can take over by email', async () => {
    const reply = message({ author: 'ai', body: 'We ship to Canada.' });
    const pending = offer();
    const el = await restored(
      new FakeTransport(),
      message({ author: 'visitor', body: 'Canada?' }),
      reply,
      pending,
    );
    expect($(el, '.header .ai')!.textContent!.trim()).to.equal('AI assistant');
    for (const id of [reply.id, pending.id])
      expect($(el, `[data-id="${id}"] .ai-label`)?.textContent?.trim(), `message ${id}`).to.equal(
        'AI assistant',
      );
    expect($$(el, '.mine .ai-label')).to.have.length(0);
    expect($(el, '.human-note')!.textContent).to.contain('can take over by email');
  });

  it('takes the site’s wording, but never an empty label', async () => {
    const el = await restored(new FakeTransport(), message({ author: 'ai', body: 'Hello.' }));
    el.strings = { assistantLabel: 'Acme’s AI helper' };
    await el.updateComplete;
    expect($(el, '.ai-label')!.textContent!.trim()).to.equal('Acme’s AI helper');
    el.strings = { assistantLabel: '  ' };
    await el.updateComplete;
    expect($(el, '.ai-label')!.textContent!.trim()).to.equal('AI assistant');
    expect($(el, '.header .ai')!.textContent!.trim()).to.equal('AI assistant');
  });
});

describe('<ticket0-chat> unread replies', () => {
  /** Records AudioContexts the widget makes, instead of playing sound in the test browser. */
  let tones: number;
  let realAudio: typeof AudioContext;
  beforeEach(() => {
    tones = 0;
    realAudio = window.AudioContext;
    window.AudioContext = class extends realAudio {
      constructor() {
        super();
        tones++;
      }
    };
  });
  afterEach(() => (window.AudioContext = realAudio));

  async function replyWhileClosed(el: Ticket0Chat, fake: FakeTransport): Promise<void> {
    await openPanel(el);
    await send(el, 'Do you ship to Canada?');
    const call = await fake.nextSend();
    const question = accepted(call);
    call.push({ type: 'accepted', message: question });
    el.close();
    await el.updateComplete;
    call.push({
      type: 'done',
      message: message({ author: 'ai', body: 'Yes.', replyToId: question.id }),
    });
    call.end();
  }

  it('a reply to a closed panel puts a count on the launcher and fires t0-unread; opening clears it', async () => {
    const fake = new FakeTransport();
    const el = await mount(fake);
    const counts: number[] = [];
    el.addEventListener('t0-unread', (event) => counts.push(event.count));
    await replyWhileClosed(el, fake);
    await until(el, () => has(el, '.launcher .unread'), 'no badge');
    expect($(el, '.launcher .unread')!.textContent!.trim()).to.equal('1');
    expect(launcher(el).getAttribute('aria-label')).to.equal('Open support chat, 1 new');
    expect(counts).to.deep.equal([1]);
    expect(tones, 'sound is off by default').to.equal(0);

    launcher(el).click();
    await until(el, () => !has(el, '.launcher .unread'), 'badge stayed');
    expect(counts).to.deep.equal([1, 0]);
  });

  it('with the sound attribute, a reply to a closed panel plays a tone', async () => {
    const fake = new FakeTransport();
    const el = await fixture<Ticket0Chat>(
      html`<ticket0-chat sound server=${SERVER} .transport=${fake}></ticket0-chat>`,
    );
    await replyWhileClosed(el, fake);
    await until(el, () => has(el, '.launcher .unread'), 'no badge');
    expect(tones).to.equal(1);
  });
});

describe('<ticket0-chat> set up in the console', () => {
  class ConfiguredServer extends FakeTransport {
    configCalls = 0;
    readonly config = async () => {
      this.configCalls++;
      return {
        brandName: 'Acme Outdoor',
        accentColor: '#0a7d4f',
        greeting: 'Welcome to Acme! Ask me about orders.',
        assistantLabel: 'Acme AI',
      };
    };
  }

  it('takes the brand, accent colour, greeting and AI label from the server', async () => {
    const fake = new ConfiguredServer();
    const el = await mount(fake);
    await waitUntil(
      () => getComputedStyle(launcher(el)).backgroundColor === 'rgb(10, 125, 79)',
      'no accent',
    );
    await openPanel(el);
    expect($(el, '#title')!.textContent!.trim()).to.equal('Acme Outdoor');
    expect($(el, '.header .ai')!.textContent!.trim()).to.equal('Acme AI');
    expect($(el, '.messages > .greeting .bubble')!.textContent!.trim()).to.equal(
      'Welcome to Acme! Ask me about orders.',
    );
    expect(fake.configCalls).to.equal(1);
  });

  it('the page’s attributes win over the console, and --t0-accent over both', async () => {
    const el = await fixture<Ticket0Chat>(
      html`<ticket0-chat
        server=${SERVER}
        brand="Acme Canada"
        accent="#ff0000"
        greeting="Bonjour-hi!"
        .transport=${new ConfiguredServer()}
      ></ticket0-chat>`,
    );
    await openPanel(el);
    await until(
      el,
      () => $(el, '#title')!.textContent!.trim() === 'Acme Canada',
      'brand attribute lost',
    );
    expect($(el, '.greeting .bubble')!.textContent!.trim()).to.equal('Bonjour-hi!');
    expect(getComputedStyle(launcher(el)).backgroundColor).to.equal('rgb(255, 0, 0)');
    el.style.setProperty('--t0-accent', '#000080');
    expect(getComputedStyle(launcher(el)).backgroundColor).to.equal('rgb(0, 0, 128)');
  });

  it('the greeting is the first assistant message, above the restored conversation', async () => {
    const el = await restored(new FakeTransport(), message({ author: 'visitor', body: 'Hi' }));
    const log = $(el, '.messages')!;
    expect(log.firstElementChild!.classList.contains('greeting')).to.equal(true);
    expect(log.querySelector('.greeting')!.textContent).to.contain('Hi! How can we help?');
  });
});

describe('<ticket0-chat> conversation controls', () => {
  const button = (el: Ticket0Chat, name: string) =>
    $<HTMLButtonElement>(el, `[part="actions"] .${name}`);

  it('"Email me this conversation" mails it to the verified address and says so', async () => {
    const fake = new FakeTransport();
    fake.verifiedEmail = 'ana@example.com';
    const el = await restored(fake, message({ author: 'visitor', body: 'Hi' }));
    await until(el, () => has(el, '.badge'), 'not shown as verified');
    button(el, 'transcript')!.click();
    await until(el, () => has(el, '.transcript-note'), 'no confirmation');
    expect(fake.callsOf('emailTranscript')).to.have.length(1);
    expect($(el, '.transcript-note')!.textContent!.trim()).to.equal(
      'We sent this conversation to ana@example.com.',
    );
  });

  it('without a verified address it asks for one (with the code) first, then mails it', async () => {
    const fake = new FakeTransport();
    const el = await restored(fake, message({ author: 'visitor', body: 'Hi' }));
    button(el, 'transcript')!.click();
    await until(el, () => has(el, '#verify-email'), 'no email step');
    expect(fake.callsOf('emailTranscript')).to.have.length(0);
    $<HTMLInputElement>(el, '#verify-email')!.value = 'ana@example.com';
    $<HTMLButtonElement>(el, '.verify [type="submit"]')!.click();
    await until(el, () => has(el, '#verify-code'), 'no code step');
    $<HTMLInputElement>(el, '#verify-code')!.value = fake.code;
    $<HTMLButtonElement>(el, '.verify [type="submit"]')!.click();
    await until(el, () => has(el, '.transcript-note'), 'not mailed after verifying');
    expect(fake.callsOf('emailTranscript')).to.have.length(1);
  });

  it('"New conversation" leaves the chat here and in other tabs; the next message starts another', async () => {
    const fake = new FakeTransport();
    const el = await restored(fake, message({ author: 'visitor', body: 'Old question' }));
    const other = await mount(fake);
    await openPanel(other);
    await until(other, () => $$(other, '.message').length === 1, 'other tab without the chat');

    button(el, 'new-conversation')!.click();
    await until(el, () => $$(el, '.message').length === 0, 'old messages stayed');
    expect(localStorage.getItem(STORAGE_KEY)).to.equal(null);
    expect(has(el, '.greeting')).to.equal(true);
    await until(other, () => $$(other, '.message').length === 0, 'the other tab kept the old chat');

    await send(el, 'New question');
    await fake.nextSend();
    expect(fake.starts).to.have.length(1);
  });
});

describe('<ticket0-chat> placement and theme', () => {
  it('position="left" puts the launcher and the panel on the left, whatever the direction', async () => {
    const el = await fixture<Ticket0Chat>(
      html`<ticket0-chat
        position="left"
        server=${SERVER}
        .transport=${new FakeTransport()}
      ></ticket0-chat>`,
    );
    await openPanel(el);
    expect(launcher(el).getBoundingClientRect().left).to.equal(20);
    expect($(el, '[part="panel"]')!.getBoundingClientRect().left).to.equal(20);
    el.position = 'right';
    await el.updateComplete;
    expect(launcher(el).getBoundingClientRect().right).to.equal(window.innerWidth - 20);
  });

  it('theme="dark" and theme="light" force the scheme', async () => {
    const el = await fixture<Ticket0Chat>(
      html`<ticket0-chat
        theme="dark"
        server=${SERVER}
        .transport=${new FakeTransport()}
      ></ticket0-chat>`,
    );
    await openPanel(el);
    const surface = () => getComputedStyle($(el, '[part="panel"]')!).backgroundColor;
    expect(surface()).to.equal('rgb(28, 29, 33)');
    el.theme = 'light';
    await el.updateComplete;
    expect(surface()).to.equal('rgb(255, 255, 255)');
  });

  it('properties a page script set before widget.js loaded still apply', async () => {
    // An element not yet upgraded: made in a document without a browsing context.
    const early = document.implementation
      .createHTMLDocument('')
      .createElement('ticket0-chat') as Ticket0Chat;
    const fake = new FakeTransport();
    early.transport = fake;
    early.strings = { launcherLabel: 'Chat with Acme' };
    early.position = 'left';
    document.body.append(early);
    try {
      expect(early instanceof customElements.get('ticket0-chat')!).to.equal(true);
      await early.updateComplete;
      expect(launcher(early).getAttribute('aria-label')).to.equal('Chat with Acme');
      expect(early.getAttribute('position')).to.equal('left');
      await openPanel(early);
      expect(fake.starts).to.have.length(0);
    } finally {
      early.remove();
    }
  });
});
