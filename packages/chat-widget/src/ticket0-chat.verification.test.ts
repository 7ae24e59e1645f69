import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import {
  CREDENTIALS,
  FakeTransport,
  message,
  serverError,
  STORAGE_KEY,
  storeSession,
} from '../test/fake-server.js';
import {
  $,
  has,
  launcher,
  mount,
  openAndSend,
  openPanel,
  shown,
  textarea,
  until,
} from '../test/widget.js';
import type { T0VerifiedEvent } from './events.js';
import type { Ticket0Chat } from './ticket0-chat.component.js';

const emailField = (el: Ticket0Chat) => $<HTMLInputElement>(el, '#verify-email');
const codeField = (el: Ticket0Chat) => $<HTMLInputElement>(el, '#verify-code');
const resend = (el: Ticket0Chat) => $<HTMLButtonElement>(el, '.verify .resend')!;
const submitIn = (el: Ticket0Chat) => $<HTMLButtonElement>(el, '.verify [type="submit"]')!;
const focused = (el: Ticket0Chat, target: Element | null) =>
  el.shadowRoot!.activeElement === target;

describe('<ticket0-chat> email verification', () => {
  let fake: FakeTransport;

  beforeEach(() => (fake = new FakeTransport()));

  /** Opens the form from the panel's action bar and asks for a code for `email`. */
  async function requestCode(el: Ticket0Chat, email = 'Ana@Example.com'): Promise<void> {
    $<HTMLButtonElement>(el, '[part="actions"] .verify-open')!.click();
    await until(el, () => focused(el, emailField(el)), 'email field without focus');
    await sendKeys({ type: email });
    await sendKeys({ press: 'Enter' });
    await until(el, () => codeField(el) !== null, 'no code step');
  }

  it('asks for an email in the panel, starting a session, then for the code with one-time-code hints', async () => {
    const el = await mount(fake);
    const draft = await openPanel(el);
    draft.value = 'half a question';
    expect(fake.starts).to.have.length(0);

    $<HTMLButtonElement>(el, '[part="actions"] .verify-open')!.click();
    await until(el, () => emailField(el) !== null, 'no email step');
    const email = emailField(el)!;
    expect(email.type).to.equal('email');
    expect(email.autocomplete).to.equal('email');
    expect($(el, 'label[for="verify-email"]')!.textContent).to.equal('Email address');
    expect(getComputedStyle(email).fontSize).to.equal('16px');
    expect($(el, '[part="verify"] h3')!.textContent).to.equal('Verify your email');
    expect(has(el, '[part="messages"]:not([hidden])'), 'conversation still shown').to.equal(false);

    email.value = 'not an email';
    submitIn(el).click();
    await el.updateComplete;
    expect(shown(el)).to.contain('Enter a valid email address');
    expect(fake.callsOf('requestVerification')).to.have.length(0);

    email.value = 'ana@example.com';
    submitIn(el).click();
    await until(el, () => codeField(el) !== null, 'no code step');

    expect(fake.starts).to.have.length(1);
    expect(fake.callsOf('requestVerification')).to.deep.equal([
      { credentials: CREDENTIALS, input: { email: 'ana@example.com' } },
    ]);
    // The session now holds a code: a reload must find it.
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!)).to.deep.equal(CREDENTIALS);

    const code = codeField(el)!;
    expect(code.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(code.getAttribute('inputmode')).to.equal('numeric');
    expect(code.getAttribute('pattern')).to.equal('[0-9]*');
    expect(code.maxLength).to.equal(6);
    expect(getComputedStyle(code).fontSize).to.equal('16px');
    expect($(el, 'label[for="verify-code"]')!.textContent).to.equal('Code');
    expect(shown(el)).to.contain('Enter the 6-digit code we sent to ana@example.com.');
    expect(shown(el)).to.contain('Attempts left: 3');
    await until(el, () => focused(el, codeField(el)), 'code field without focus');

    // Cancel goes back to the chat, draft and all.
    $<HTMLButtonElement>(el, '.verify .cancel')!.click();
    await until(el, () => !has(el, '[part="verify"]'), 'form stayed');
    expect(has(el, '[part="messages"]:not([hidden])'), 'conversation shown').to.equal(true);
    expect(textarea(el)!.value).to.equal('half a question');
    expect(focused(el, textarea(el)), 'focus back in the message box').to.equal(true);

    // Opening it again resumes the code that is on its way.
    $<HTMLButtonElement>(el, '.verify-open')!.click();
    await until(el, () => codeField(el) !== null, 'code step not resumed');
  });

  it("a wrong code shows the server's sentence and the attempts left", async () => {
    const el = await mount(fake);
    await openPanel(el);
    await requestCode(el);

    await sendKeys({ type: '111111' });
    await sendKeys({ press: 'Enter' });
    await until(
      el,
      () => shown(el).includes('That code is not right. 2 attempts left.'),
      'no error',
    );
    expect(shown(el)).to.contain('Attempts left: 2');
    expect(codeField(el)!.getAttribute('aria-invalid')).to.equal('true');
    expect($(el, '#verify-error')!.getAttribute('role')).to.equal('alert');
    expect(fake.callsOf('confirmVerification').map((c) => c.input)).to.deep.equal([
      { code: '111111' },
    ]);

    // A short code is caught before it costs an attempt.
    codeField(el)!.value = '12';
    submitIn(el).click();
    await until(el, () => shown(el).includes('Enter the 6-digit code from the email.'), 'no hint');
    expect(fake.callsOf('confirmVerification')).to.have.length(1);
  });

  it('with no attempts left the code cannot be sent until a new one is requested', async () => {
    const el = await mount(fake);
    await openPanel(el);
    fake.resendCooldownSeconds = 0;
    await requestCode(el);
    for (let i = 0; i < 3; i++) {
      codeField(el)!.value = '000000';
      submitIn(el).click();
      await until(el, () => shown(el).includes(`Attempts left: ${2 - i}`), `attempt ${i + 1}`);
    }
    expect(submitIn(el).disabled).to.equal(true);
    resend(el).click();
    await until(el, () => shown(el).includes('Attempts left: 3'), 'no new code');
    expect(submitIn(el).disabled).to.equal(false);
    expect(codeField(el)!.value, 'old code cleared').to.equal('');
  });

  it('Resend waits for the cooldown, counting down, then sends another code', async function () {
    this.timeout(8000);
    fake.resendCooldownSeconds = 2;
    const el = await mount(fake);
    await openPanel(el);
    await requestCode(el, 'ana@example.com');

    expect(resend(el).disabled).to.equal(true);
    expect(resend(el).textContent!.trim()).to.equal('Resend code in 2 s');
    await until(
      el,
      () => resend(el).textContent!.trim() === 'Resend code in 1 s',
      'no countdown',
      1800,
    );
    expect(resend(el).disabled).to.equal(true);
    await until(el, () => !resend(el).disabled, 'Resend never enabled', 2500);
    expect(resend(el).textContent!.trim()).to.equal('Resend code');

    resend(el).click();
    await until(el, () => fake.callsOf('requestVerification').length === 2, 'no second request');
    expect(fake.callsOf('requestVerification').map((c) => c.input)).to.deep.equal([
      { email: 'ana@example.com' },
      { email: 'ana@example.com' },
    ]);
    await until(el, () => resend(el).disabled, 'cooldown not restarted');
  });

  it('TOO_MANY_REQUESTS on a code request shows how long to wait', async () => {
    const el = await mount(fake);
    await openPanel(el);
    fake.failNext(
      'requestVerification',
      serverError('TOO_MANY_REQUESTS', 'Too many codes were requested. Try again in 40 s.', 40),
    );
    $<HTMLButtonElement>(el, '.verify-open')!.click();
    await until(el, () => emailField(el) !== null, 'no email step');
    emailField(el)!.value = 'ana@example.com';
    submitIn(el).click();

    await until(el, () => shown(el).includes('Too many codes were requested.'), 'no error');
    expect(shown(el)).to.contain('Try again in 40 s');
    expect(submitIn(el).disabled).to.equal(true);
    await until(el, () => shown(el).includes('Try again in 39 s'), 'no countdown', 2500);
  });

  it('the right code (spaces allowed) verifies: badge in the header, t0-verified, back to the chat', async () => {
    const el = await mount(fake);
    await openPanel(el);
    const verified: T0VerifiedEvent[] = [];
    el.addEventListener('t0-verified', (event) => verified.push(event));
    await requestCode(el);

    await sendKeys({ type: '123 456' });
    expect(codeField(el)!.value).to.equal('123456');
    await sendKeys({ press: 'Enter' });

    await until(el, () => !has(el, '[part="verify"]'), 'form stayed');
    expect(fake.callsOf('confirmVerification').map((c) => c.input)).to.deep.equal([
      { code: '123456' },
    ]);
    expect($(el, '[part="header"] [part="badge"]')!.textContent).to.contain(
      'Verified: ana@example.com',
    );
    expect(verified.map((e) => e.email)).to.deep.equal(['ana@example.com']);
    expect($(el, '[aria-live="polite"]')!.textContent!.trim()).to.equal(
      'Your email ana@example.com is verified.',
    );
    expect(has(el, '.verify-open'), 'verify button still offered').to.equal(false);
    expect(focused(el, textarea(el)), 'focus back in the message box').to.equal(true);
  });

  it('a pasted "123-456" fits the 6-character field', async () => {
    const el = await mount(fake);
    await openPanel(el);
    await requestCode(el);
    const clipboardData = new DataTransfer();
    clipboardData.setData('text', '123-456');
    codeField(el)!.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }),
    );
    expect(codeField(el)!.value).to.equal('123456');
  });

  it('a reload resumes the code entry the visitor left', async () => {
    storeSession();
    fake.stored = [message({ author: 'ai', body: 'Please verify your email first.' })];
    fake.pending = {
      email: 'ana@example.com',
      expiresAt: new Date(Date.now() + 5 * 60_000),
      attemptsLeft: 2,
      resendAvailableAt: new Date(Date.now() - 1000),
    };
    const el = await mount(fake);
    launcher(el).click();

    await until(el, () => codeField(el) !== null, 'code step not resumed');
    expect(fake.callsOf('verificationStatus')).to.deep.equal([{ credentials: CREDENTIALS }]);
    expect(shown(el)).to.contain('Enter the 6-digit code we sent to ana@example.com.');
    expect(shown(el)).to.contain('Attempts left: 2');
    expect(resend(el).disabled).to.equal(false);
    await waitUntil(() => focused(el, codeField(el)), 'code field without focus');

    codeField(el)!.value = '123456';
    submitIn(el).click();
    await until(el, () => has(el, '[part="badge"]'), 'not verified');
    // The reply that suggested verifying no longer offers it.
    expect(has(el, '.verify-suggest'), 'suggestion left').to.equal(false);
  });

  it('a verified chat shows its badge after a reload and no verify button', async () => {
    storeSession();
    fake.verifiedEmail = 'ana@example.com';
    const el = await mount(fake);
    await openPanel(el);
    await until(el, () => has(el, '[part="badge"]'), 'no badge');
    expect($(el, '[part="badge"]')!.textContent).to.contain('Verified: ana@example.com');
    expect(has(el, '.verify-open'), 'verify button').to.equal(false);
    expect(has(el, '[part="verify"]'), 'form').to.equal(false);
  });

  it('a reply that mentions verifying offers the form right under it', async () => {
    const { el, call } = await openAndSend(fake, 'Where is my order?');
    const visitor = message({
      author: 'visitor',
      body: 'Where is my order?',
      clientMessageId: call.input.clientMessageId,
    });
    call.push(
      { type: 'accepted', message: visitor },
      {
        type: 'done',
        message: message({
          author: 'ai',
          body: 'I can look that up once you verify your email address.',
          replyToId: visitor.id,
        }),
      },
    );
    call.end();
    await until(el, () => has(el, '.message.ai .verify-suggest'), 'no suggestion');
    $<HTMLButtonElement>(el, '.verify-suggest')!.click();
    await until(el, () => emailField(el) !== null, 'no email step');
  });

  it('the form fits a narrow phone screen', async () => {
    await setViewport({ width: 320, height: 568 });
    const el = await mount(fake);
    await openPanel(el);
    await requestCode(el);
    const form = $(el, '[part="verify"]')!;
    expect(form.scrollWidth).to.be.at.most(form.clientWidth);
    expect(form.getBoundingClientRect().right).to.be.at.most(320);
  });

  it('the verification form passes axe', async () => {
    fake.resendCooldownSeconds = 0; // no countdown re-rendering the form during the audit
    const el = await mount(fake);
    await openPanel(el);
    await requestCode(el);
    await expect(el).to.be.accessible();
  });
});
