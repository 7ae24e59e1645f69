import type { ChatMessage } from '@ticket0/contracts';
import { fixture, html, waitUntil } from '@open-wc/testing';
import { resetMouse, setViewport } from '@web/test-runner-commands';
import '../src/index.js';
import type { Ticket0Chat } from '../src/ticket0-chat.component.js';
import type { FakeTransport, SendCall } from './fake-server.js';
import { accepted, SERVER, storeSession } from './fake-server.js';

// The widget as a test sees it: mounted on the page with the fake server, looked at through
// its shadow root, driven the way a visitor would.

// Importing these helpers gives each test of the file a page with nothing stored, and puts
// the viewport and the mouse back afterwards (file-wide hooks, as @open-wc/testing's own
// fixture clean-up does).
beforeEach(() => localStorage.clear());

afterEach(async () => {
  localStorage.clear();
  await setViewport({ width: 800, height: 600 });
  await resetMouse();
});

export const $ = <T extends Element = HTMLElement>(el: Ticket0Chat, selector: string): T | null =>
  el.shadowRoot!.querySelector<T>(selector);
export const $$ = (el: Ticket0Chat, selector: string): Element[] => [
  ...el.shadowRoot!.querySelectorAll(selector),
];
/** Booleans, not nodes, go into assertions: a failing chai assertion holding a DOM node can
 * stall the test runner while it serialises the error. */
export const has = (el: Ticket0Chat, selector: string): boolean => $(el, selector) !== null;
export const launcher = (el: Ticket0Chat) => $<HTMLButtonElement>(el, '[part="launcher"]')!;
/** The message box (reason forms have text boxes of their own). */
export const textarea = (el: Ticket0Chat) => $<HTMLTextAreaElement>(el, '.composer textarea');
export const shown = (el: Ticket0Chat) => $(el, '[part="panel"]')!.innerText;

export async function mount(
  transport: FakeTransport,
  server: string | null = SERVER,
): Promise<Ticket0Chat> {
  return server === null
    ? fixture<Ticket0Chat>(html`<ticket0-chat .transport=${transport}></ticket0-chat>`)
    : fixture<Ticket0Chat>(
        html`<ticket0-chat server=${server} .transport=${transport}></ticket0-chat>`,
      );
}

export async function openPanel(el: Ticket0Chat): Promise<HTMLTextAreaElement> {
  launcher(el).click();
  await waitUntil(
    () => textarea(el) !== null && el.shadowRoot!.activeElement === textarea(el),
    'the message box did not appear with focus',
  );
  return textarea(el)!;
}

/** Types into the message box and presses the Send button. */
export async function send(el: Ticket0Chat, text: string): Promise<void> {
  textarea(el)!.value = text;
  $<HTMLButtonElement>(el, '.send')!.click();
  await el.updateComplete;
}

export async function until(
  el: Ticket0Chat,
  predicate: () => boolean,
  what: string,
  timeout = 1000,
): Promise<void> {
  await waitUntil(predicate, what, { timeout });
  await el.updateComplete;
}

/** A page whose stored session has `stored` as its history, open, with that history shown. */
export async function restored(
  fake: FakeTransport,
  ...stored: ChatMessage[]
): Promise<Ticket0Chat> {
  fake.stored = stored;
  storeSession();
  const el = await mount(fake);
  await openPanel(el);
  await until(el, () => $$(el, '.message').length === stored.length, 'history not shown');
  await until(el, () => fake.callsOf('verificationStatus').length === 1, 'no status asked');
  return el;
}

/**
 * A fresh widget, opened, and `text` sent: the request the fake server got, and the
 * visitor message it stores once the test plays `accepted`.
 */
export async function openAndSend(
  fake: FakeTransport,
  text: string,
): Promise<{ el: Ticket0Chat; call: SendCall; visitor: ChatMessage }> {
  const el = await mount(fake);
  await openPanel(el);
  await send(el, text);
  const call = await fake.nextSend();
  return { el, call, visitor: accepted(call) };
}
