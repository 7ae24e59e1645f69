import { expect } from '@open-wc/testing';
import superjson from 'superjson';
import { toChatError } from './transport.js';
import { createTrpcTransport } from './trpc-transport.js';

// window.fetch is the network edge: these tests check what goes over the wire. The
// streamed body of chat.send is exercised end to end against the real server.

// The element's `serverUrl`: resolved, without a trailing slash.
const SERVER = 'https://support.example.com';
const CREDENTIALS = { sessionId: 'cs_BBBBBBBBBBBBBBBBBBBBBB', visitorToken: 'v'.repeat(43) };

interface Sent {
  url: URL;
  method: string;
  headers: Headers;
  body: string | null;
}

describe('tRPC transport', () => {
  const realFetch = window.fetch;
  let sent: Sent[];
  let respond: (request: Sent) => Response;

  beforeEach(() => {
    sent = [];
    window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      const request: Sent = {
        url: new URL(String(input)),
        method: init?.method ?? 'GET',
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? init.body : null,
      };
      sent.push(request);
      return respond(request);
    };
  });

  afterEach(() => {
    window.fetch = realFetch;
  });

  // Every call is one streamed batch of one (tRPC's JSON lines, each line serialised by
  // superjson), as the server answers `trpc-accept: application/jsonl`.
  const lines = (...values: unknown[]) =>
    new Response(values.map((value) => JSON.stringify(superjson.serialize(value))).join('\n') + '\n', {
      headers: { 'content-type': 'application/json' },
    });
  const head = { 0: [[0], [null, 0, 0]] };
  const result = (data: unknown) =>
    lines(
      head,
      [0, 0, [[{ result: 0 }], ['result', 0, 1]]],
      [1, 0, [[{ data: 0 }], ['data', 0, 2]]],
      [2, 0, [[data]]],
    );
  const error = (status: number, code: string, message: string, extra: object = {}) =>
    lines(head, [0, 0, [[{ error: { message, code: -32000, data: { code, httpStatus: status, ...extra } } }]]]);
  /** The call's input: the batch's only entry, in the body or (queries) the URL. */
  const inputOf = (request: Sent): unknown => {
    const batch = JSON.parse(request.body ?? request.url.searchParams.get('input')!) as Record<string, unknown>;
    return batch['0'] === undefined ? undefined : superjson.deserialize(batch['0'] as never);
  };

  it('chat.start is posted to <server>/trpc without an authorization header', async () => {
    respond = () => result(CREDENTIALS);
    const transport = createTrpcTransport(SERVER);

    const credentials = await transport.start({ locale: 'pt-BR' });

    expect(credentials).to.deep.equal(CREDENTIALS);
    expect(sent).to.have.length(1);
    expect(sent[0]!.method).to.equal('POST');
    expect(sent[0]!.url.origin + sent[0]!.url.pathname).to.equal(
      'https://support.example.com/trpc/chat.start',
    );
    expect(sent[0]!.headers.has('authorization')).to.equal(false);
    expect(inputOf(sent[0]!)).to.deep.equal({ locale: 'pt-BR' });
  });

  it('chat.history carries the session as a Bearer header and restores Dates', async () => {
    const createdAt = new Date('2025-01-02T03:04:05Z');
    respond = () =>
      result({
        sessionId: CREDENTIALS.sessionId,
        messages: [
          {
            id: 8,
            author: 'ai',
            kind: 'text',
            body: 'Hello',
            createdAt,
            clientMessageId: null,
            replyToId: 7,
            rating: null,
            interrupted: false,
          },
        ],
      });
    const transport = createTrpcTransport(SERVER);

    const history = await transport.history(CREDENTIALS, { afterId: 7 });

    expect(sent[0]!.method).to.equal('GET');
    expect(sent[0]!.url.pathname).to.equal('/trpc/chat.history');
    expect(inputOf(sent[0]!)).to.deep.equal({ afterId: 7 });
    expect(sent[0]!.headers.get('authorization')).to.equal(
      `Bearer ${CREDENTIALS.sessionId}.${CREDENTIALS.visitorToken}`,
    );
    expect(history.messages[0]!.createdAt).to.be.instanceOf(Date);
    expect(history.messages[0]!.createdAt.getTime()).to.equal(createdAt.getTime());
  });

  it('chat.send asks for a streamed response and carries the session', async () => {
    respond = () => error(401, 'UNAUTHORIZED', 'This chat session has ended.');
    const transport = createTrpcTransport(SERVER);
    const input = { clientMessageId: 'abcdefgh12', text: 'Hi' };

    let thrown: unknown;
    try {
      for await (const _event of transport.send(CREDENTIALS, input, new AbortController().signal)) {
        // nothing arrives
      }
    } catch (caught) {
      thrown = caught;
    }

    expect(sent[0]!.method).to.equal('POST');
    expect(sent[0]!.url.pathname).to.equal('/trpc/chat.send');
    expect(sent[0]!.url.searchParams.get('batch')).to.equal('1');
    expect(sent[0]!.headers.get('trpc-accept')).to.equal('application/jsonl');
    expect(sent[0]!.headers.get('authorization')).to.equal(
      `Bearer ${CREDENTIALS.sessionId}.${CREDENTIALS.visitorToken}`,
    );
    const body = JSON.parse(sent[0]!.body!) as Record<string, unknown>;
    expect(superjson.deserialize(body['0'] as never)).to.deep.equal(input);

    const described = toChatError(thrown);
    expect(described.code).to.equal('UNAUTHORIZED');
    expect(described.message).to.equal('This chat session has ended.');
  });

  it('a rate-limit error keeps the sentence and the seconds to wait', async () => {
    respond = () =>
      error(429, 'TOO_MANY_REQUESTS', 'You are sending messages too quickly.', {
        retryAfterSeconds: 12,
      });
    const transport = createTrpcTransport(SERVER);

    const thrown = await transport.start({}).catch((caught: unknown) => caught);
    const described = toChatError(thrown);

    expect(described.code).to.equal('TOO_MANY_REQUESTS');
    expect(described.message).to.equal('You are sending messages too quickly.');
    expect(described.retryAfterSeconds).to.equal(12);
  });

  it('chat.rate, escalation.* and verification.request / confirm are POSTs that carry the session', async () => {
    const transport = createTrpcTransport(SERVER);
    respond = () => result({});
    const calls: Array<[string, () => Promise<unknown>, unknown]> = [
      [
        'chat.rate',
        () => transport.rate(CREDENTIALS, { messageId: 8, rating: null }),
        { messageId: 8, rating: null },
      ],
      [
        'chat.rate',
        () =>
          transport.rate(CREDENTIALS, {
            messageId: 8,
            rating: 'down',
            reason: 'rude',
            comment: 'Meh',
          }),
        { messageId: 8, rating: 'down', reason: 'rude', comment: 'Meh' },
      ],
      ['escalation.request', () => transport.requestEscalation(CREDENTIALS), undefined],
      [
        'escalation.confirm',
        () => transport.confirmEscalation(CREDENTIALS, { offerId: 9, email: 'ana@example.com' }),
        { offerId: 9, email: 'ana@example.com' },
      ],
      [
        'escalation.decline',
        () => transport.declineEscalation(CREDENTIALS, { offerId: 9 }),
        { offerId: 9 },
      ],
      [
        'verification.request',
        () => transport.requestVerification(CREDENTIALS, { email: 'ana@example.com' }),
        { email: 'ana@example.com' },
      ],
      [
        'verification.confirm',
        () => transport.confirmVerification(CREDENTIALS, { code: '123456' }),
        { code: '123456' },
      ],
    ];

    for (const [path, call, input] of calls) {
      sent = [];
      await call();
      expect(sent, path).to.have.length(1);
      expect(sent[0]!.method, path).to.equal('POST');
      expect(sent[0]!.url.pathname, path).to.equal(`/trpc/${path}`);
      expect(sent[0]!.headers.get('authorization'), path).to.equal(
        `Bearer ${CREDENTIALS.sessionId}.${CREDENTIALS.visitorToken}`,
      );
      expect(inputOf(sent[0]!), path).to.deep.equal(input);
    }
  });

  it('verification.request and verification.status restore their Dates', async () => {
    const resendAvailableAt = new Date('2025-01-02T03:04:35Z');
    const pending = {
      email: 'ana@example.com',
      expiresAt: new Date('2025-01-02T03:14:05Z'),
      attemptsLeft: 3,
      resendAvailableAt,
    };
    const transport = createTrpcTransport(SERVER);

    respond = () => result(pending);
    const requested = await transport.requestVerification(CREDENTIALS, {
      email: 'ana@example.com',
    });
    expect(requested.resendAvailableAt.getTime()).to.equal(resendAvailableAt.getTime());

    sent = [];
    respond = () => result({ verified: false, email: null, verifiedAt: null, pending });
    const status = await transport.verificationStatus(CREDENTIALS);
    expect(sent[0]!.method).to.equal('GET');
    expect(sent[0]!.url.pathname).to.equal('/trpc/verification.status');
    expect(sent[0]!.headers.get('authorization')).to.equal(
      `Bearer ${CREDENTIALS.sessionId}.${CREDENTIALS.visitorToken}`,
    );
    expect(status.pending!.expiresAt).to.be.instanceOf(Date);
    expect(status.pending!.expiresAt.getTime()).to.equal(pending.expiresAt.getTime());
  });

  it("a wrong code and a throttled request keep the server's sentence and wait", async () => {
    const transport = createTrpcTransport(SERVER);
    respond = () => error(400, 'BAD_REQUEST', 'That code is not right. 2 attempts left.');
    const wrong = toChatError(
      await transport
        .confirmVerification(CREDENTIALS, { code: '111111' })
        .catch((caught: unknown) => caught),
    );
    expect([wrong.code, wrong.message]).to.deep.equal([
      'BAD_REQUEST',
      'That code is not right. 2 attempts left.',
    ]);

    respond = () =>
      error(429, 'TOO_MANY_REQUESTS', 'A code was sent a moment ago. Try again in 25 s.', {
        retryAfterSeconds: 25,
      });
    const throttled = toChatError(
      await transport
        .requestVerification(CREDENTIALS, { email: 'a@b.co' })
        .catch((caught: unknown) => caught),
    );
    expect(throttled.code).to.equal('TOO_MANY_REQUESTS');
    expect(throttled.retryAfterSeconds).to.equal(25);
  });

  it('an unreachable server is a NETWORK error without the browser jargon', async () => {
    respond = () => {
      throw new TypeError('Failed to fetch');
    };
    const transport = createTrpcTransport(SERVER);

    const thrown = await transport.history(CREDENTIALS, {}).catch((caught: unknown) => caught);
    const described = toChatError(thrown);

    expect(described.code).to.equal('NETWORK');
    expect(described.message).to.equal('');
  });
});
