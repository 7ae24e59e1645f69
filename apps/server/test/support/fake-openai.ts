import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeHttpServer } from './fake-http-server.js';
import { preciseNow } from './fake-ollama.js';
import { isReplySchema, replyPieces, type ReplyShape } from './structured-reply.js';

/** What the fake server does with the next chat completion request. */
export type FakeOpenAIBehaviour =
  /** Streams `text` in word-sized pieces, `delayMs` apart (slow words). */
  | { mode: 'reply'; text: string | ((request: RecordedCompletion) => string); delayMs?: number }
  /** Answers with an HTTP error in OpenAI's error shape (e.g. 500 from a crashed runner). */
  | { mode: 'error'; status: number; message: string; code?: string }
  /** Accepts the request and never answers, not even with headers. */
  | { mode: 'hang' }
  /** Streams the first `pieces` pieces of `text`, then goes silent with the connection open. */
  | { mode: 'stall-after'; text: string; pieces: number }
  /**
   * Streams the first `pieces` pieces of `text`, then drops the stream: `reset` destroys the
   * connection, `end` closes the response cleanly without a finish_reason or [DONE].
   */
  | { mode: 'drop'; text: string; pieces: number; how?: 'reset' | 'end' }
  /** Answers 200 with an event stream whose data is not JSON. */
  | { mode: 'malformed' };

export interface RecordedCompletion {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream: boolean;
  temperature?: number;
  response_format?: { type: string; json_schema?: { name: string; schema?: Record<string, unknown>; strict?: boolean } };
  /** When the request arrived: its headers, before the body was read (ms since the epoch, sub-millisecond). */
  receivedAt: number;
  /** What the fake wrote back, piece by piece, and when. */
  sent: Array<{ at: number; text: string }>;
}

/** Every HTTP request the fake received, in order. */
export interface LoggedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** The chat completion's body, when it was one. */
  body?: RecordedCompletion;
  /** The status the fake answered with (200 for streams). */
  status: number;
  /** When its headers arrived (ms since the epoch, sub-millisecond). */
  at: number;
}

/**
 * A small HTTP server speaking the OpenAI-compatible wire protocol that llama.cpp's
 * `llama-server`, vLLM, LM Studio and hosted APIs share (`POST /v1/chat/completions` as
 * server-sent events or one JSON body, `GET /v1/models`), so tests exercise the real `openai`
 * client. It logs every request and notices when a caller hangs up mid-answer.
 */
export class FakeOpenAI extends FakeHttpServer {
  /** Every request, including refused ones. */
  readonly log: LoggedRequest[] = [];
  /** Accepted chat requests for a visitor's reply (the judgement and answer in one) or free text. */
  readonly requests: RecordedCompletion[] = [];
  /** Other accepted chat requests for structured output (a JSON schema, or JSON mode). */
  readonly structuredRequests: RecordedCompletion[] = [];
  /**
   * The judgement written before the answer in a reply's structured output: an object, or
   * raw text to write malformed JSON.
   */
  judgement: Record<string, unknown> | string = { can_answer: true, confidence: 90, needs_human: false, reason: 'none' };
  /** How a reply asked for structured output is written: in order, answer first, or as plain text. */
  shape: ReplyShape = 'structured';
  /** The structured answer to a chat-quality evaluation request. */
  evaluation: Record<string, unknown> = { accuracy: 90, completeness: 90, resolution: 90, hallucination: false, question_type: 'shipping' };
  /** Other structured answers, by a property name the request's schema requires. */
  readonly structured = new Map<string, Record<string, unknown>>();
  /** Response formats this server refuses with a 400, as older or simpler servers do. */
  readonly refuses = new Set<'json_schema' | 'json_object'>();
  /** When set, every request must carry `Authorization: Bearer <apiKey>` or gets a 401. */
  apiKey: string | null = null;
  /** Models served; a chat request for another one gets a 404 like OpenAI's. */
  models = ['test-model'];
  /** Makes GET /v1/models fail with a status (e.g. 404 for a server without it), or hang. */
  modelsStatus: number | 'hang' | null = null;
  /** Chat responses the caller abandoned before the end. */
  aborted = 0;
  behaviour: FakeOpenAIBehaviour = { mode: 'reply', text: 'Hello! How can I help you today?' };
  /** Used when set instead of `behaviour`, one per request, in order. */
  readonly queue: FakeOpenAIBehaviour[] = [];
  private completions = 0;

  /** The API's base as users configure it (OPENAI_BASE_URL). */
  get baseURL(): string {
    return `${this.url}/v1`;
  }

  get lastRequest(): RecordedCompletion | undefined {
    return this.requests.at(-1);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const entry: LoggedRequest = { method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, status: 200, at: preciseNow() };
    this.log.push(entry);
    const fail = (status: number, message: string, type = 'invalid_request_error', code: string | null = null) => {
      entry.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message, type, code } }));
    };
    if (this.apiKey && req.headers.authorization !== `Bearer ${this.apiKey}`) {
      // Like OpenAI's, the message quotes part of the key it was given.
      const given = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      return fail(401, `Incorrect API key provided: ${given.slice(0, 3)}***${given.slice(-4)}.`, 'invalid_request_error', 'invalid_api_key');
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      if (this.modelsStatus === 'hang') return;
      if (this.modelsStatus) return fail(this.modelsStatus, 'models are not listed here');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return fail(404, `no route ${req.method} ${req.url}`);

    let raw = '';
    for await (const chunk of req) raw += chunk;
    let request: RecordedCompletion;
    try {
      request = JSON.parse(raw) as RecordedCompletion;
    } catch {
      return fail(400, 'the body is not JSON');
    }
    request.stream = request.stream === true;
    request.receivedAt = entry.at;
    request.sent = [];
    entry.body = request;
    const format = request.response_format?.type;
    if ((format === 'json_schema' || format === 'json_object') && this.refuses.has(format)) {
      // llama.cpp's words for a format it does not know.
      return fail(400, `response_format type must be one of "text" or "json_object", but got: ${format}`);
    }
    if (!this.models.includes(request.model)) {
      return fail(404, `The model \`${request.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    }

    const schema = format === 'json_schema' ? request.response_format?.json_schema?.schema : format === 'json_object' ? schemaInPrompt(request) : undefined;
    const isReply = !schema || isReplySchema(schema);
    // Other structured calls get their JSON, unless the server is failing altogether.
    const failing = this.behaviour.mode === 'error' || this.behaviour.mode === 'hang' || this.behaviour.mode === 'malformed';
    if (!isReply && !failing) {
      this.structuredRequests.push(request);
      const required = (schema.required as string[] | undefined) ?? [];
      const custom = required.map((name) => this.structured.get(name)).find(Boolean);
      // Any other schema gets the judgement object. Spaced like a model writes it, so it streams in several pieces.
      const text = JSON.stringify(custom ?? (required.includes('accuracy') ? this.evaluation : this.judgement)).replace(/,"/g, ', "');
      await this.answer(req, res, request, { mode: 'reply', text }, 'plain-text');
      return;
    }
    if (isReply) this.requests.push(request);
    else this.structuredRequests.push(request);
    const behaviour = this.queue.shift() ?? this.behaviour;
    if (behaviour.mode === 'error') return fail(behaviour.status, behaviour.message, 'server_error', behaviour.code ?? null);
    await this.answer(req, res, request, behaviour, schema ? this.shape : 'plain-text');
  }

  private async answer(req: IncomingMessage, res: ServerResponse, request: RecordedCompletion, behaviour: FakeOpenAIBehaviour, shape: ReplyShape): Promise<void> {
    const id = `chatcmpl-${++this.completions}`;
    let finished = false;
    this.open.add(req);
    res.on('close', () => {
      this.open.delete(req);
      if (!finished) this.aborted++;
    });
    if (behaviour.mode === 'hang' || behaviour.mode === 'error') return;
    if (behaviour.mode === 'malformed') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.end('data: {"choices": [{"delta": \n\n');
      finished = true;
      return;
    }

    const text = behaviour.mode === 'reply' && typeof behaviour.text === 'function' ? behaviour.text(request) : (behaviour.text as string);
    const { before, words, after } = replyPieces(text, this.judgement, shape);
    const delayMs = behaviour.mode === 'reply' ? (behaviour.delayMs ?? 0) : 0;
    const complete = behaviour.mode === 'reply';
    const pieces = [...before, ...(complete ? words : words.slice(0, behaviour.pieces)), ...(complete ? after : [])];

    if (!request.stream) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: request.model,
          choices: [{ index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: 'stop' }],
        }),
      );
      finished = true;
      return;
    }
    const event = (delta: Record<string, unknown>, finishReason: string | null) =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      })}\n\n`;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write(event({ role: 'assistant', content: '' }, null));
    for (const [i, piece] of pieces.entries()) {
      // The judgement's pieces come at once; the answer's words at the model's pace.
      if (delayMs && i > 0 && i >= before.length && i < pieces.length - after.length) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (res.destroyed) return;
      res.write(event({ content: piece }, null));
      request.sent.push({ at: preciseNow(), text: piece });
    }
    if (behaviour.mode === 'stall-after') return;
    if (behaviour.mode === 'drop') {
      if (behaviour.how === 'end') {
        res.end();
        finished = true;
      } else {
        // Let the pieces leave before the connection goes, as when a runner crashes.
        await new Promise((resolve) => setTimeout(resolve, 20));
        req.socket.destroy();
      }
      return;
    }
    res.write(event({}, 'stop'));
    res.end('data: [DONE]\n\n');
    finished = true;
  }
}

/**
 * In JSON mode the schema travels in the prompt; a real model reads it there, and so does
 * the fake, to know which answer is wanted.
 */
function schemaInPrompt(request: RecordedCompletion): Record<string, unknown> {
  const required = /"required":(\[[^\]]*\])/.exec(request.messages.map((m) => m.content).join('\n'))?.[1];
  return { required: required ? (JSON.parse(required) as string[]) : [] };
}
