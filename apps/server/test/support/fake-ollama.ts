import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeHttpServer } from './fake-http-server.js';
import { isReplySchema, replyPieces, type ReplyShape } from './structured-reply.js';

/** Now, in milliseconds since the epoch with sub-millisecond precision (comparable across processes). */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/** What the fake model does with the next chat request. */
export type FakeBehaviour =
  /**
   * Streams `text` in word-sized pieces, `delayMs` apart. Asked for the reply's structured
   * output, the fake writes the judgement first and `text` as the answer (see `shape`).
   */
  | { mode: 'reply'; text: string | ((request: RecordedChat) => string); delayMs?: number }
  /** Answers with an HTTP error, as Ollama does for a missing model or a crash. */
  | { mode: 'error'; status: number; message: string }
  /** Accepts the request and never answers. */
  | { mode: 'stall' }
  /** Streams the first `pieces` words of `text`, then goes silent. */
  | { mode: 'stall-after'; text: string; pieces: number }
  /** Streams some words, then sends an error line mid-stream. */
  | { mode: 'break-after'; text: string; pieces: number };

export interface RecordedChat {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream: boolean;
  format?: unknown;
  options?: Record<string, unknown>;
  /** When the request arrived: its headers, before the body was read (ms since the epoch, sub-millisecond). */
  receivedAt: number;
  /** What the fake wrote back, piece by piece, and when. */
  sent: Array<{ at: number; text: string }>;
}

/**
 * A small HTTP server speaking Ollama's wire protocol (`POST /api/chat` as NDJSON,
 * `GET /api/tags`), so tests exercise the real `ollama` client and the real prompt code.
 * It records every chat request and notices when a caller hangs up mid-answer.
 */
export class FakeOllama extends FakeHttpServer {
  /** Every chat request, in order. */
  readonly log: RecordedChat[] = [];
  /** Chat requests for a visitor's reply (the judgement and answer in one) or free text. */
  readonly requests: RecordedChat[] = [];
  /** Other chat requests with a JSON schema in `format` (quality evaluation, …). */
  readonly structuredRequests: RecordedChat[] = [];
  /**
   * The judgement written before the answer in a reply's structured output: an object, or
   * raw text to write malformed JSON.
   */
  judgement: Record<string, unknown> | string = { can_answer: true, confidence: 90, needs_human: false, reason: 'none' };
  /** How a reply asked for structured output is written: in order, answer first, or as plain text. */
  shape: ReplyShape = 'structured';
  /** The structured answer to a chat-quality evaluation request. */
  evaluation: Record<string, unknown> = { accuracy: 90, completeness: 90, resolution: 90, hallucination: false, question_type: 'shipping' };
  /** When set, structured answers wait for this promise (to observe work done meanwhile). */
  holdStructured: Promise<void> | null = null;
  /** Other structured answers, by a property name the request's schema requires. */
  readonly structured = new Map<string, Record<string, unknown>>();
  /** Chat responses the caller abandoned before the end. */
  aborted = 0;
  /** `GET /api/tags` requests (how health checks reach the model server). */
  tagRequests = 0;
  behaviour: FakeBehaviour = { mode: 'reply', text: 'Hello! How can I help you today?' };
  /** Used when set instead of `behaviour`, one per request, in order. */
  readonly queue: FakeBehaviour[] = [];
  models = ['llama3.2:latest'];

  get lastRequest(): RecordedChat | undefined {
    return this.requests.at(-1);
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/api/tags') {
      this.tagRequests++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ models: this.models.map((name) => ({ name, model: name, size: 1, digest: 'fake', details: {} })) }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/api/chat') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'not found' }));
      return;
    }
    const receivedAt = preciseNow();
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = JSON.parse(body) as RecordedChat;
    request.stream = request.stream !== false;
    request.receivedAt = receivedAt;
    request.sent = [];
    this.log.push(request);
    const isReply = !request.format || isReplySchema(request.format);
    // Other structured calls get their JSON, unless the model is failing altogether.
    const failing = this.behaviour.mode === 'error' || this.behaviour.mode === 'stall';
    if (!isReply && !failing) {
      this.structuredRequests.push(request);
      if (this.holdStructured) await this.holdStructured;
      const required = ((request.format as { required?: string[] }).required ?? []);
      const custom = required.map((name) => this.structured.get(name)).find(Boolean);
      const text = JSON.stringify(custom ?? (required.includes('accuracy') ? this.evaluation : this.judgement));
      const line = JSON.stringify({ model: request.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: text }, done: true, done_reason: 'stop' });
      res.writeHead(200, { 'Content-Type': request.stream ? 'application/x-ndjson' : 'application/json' });
      res.end(line + '\n');
      return;
    }
    if (isReply) this.requests.push(request);
    else this.structuredRequests.push(request);
    const behaviour = this.queue.shift() ?? this.behaviour;

    if (behaviour.mode === 'error') {
      res.writeHead(behaviour.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: behaviour.message }));
      return;
    }
    let finished = false;
    this.open.add(req);
    res.on('close', () => {
      this.open.delete(req);
      if (!finished) this.aborted++;
    });
    if (behaviour.mode === 'stall') return;

    const text = behaviour.mode === 'reply'
      ? typeof behaviour.text === 'function' ? behaviour.text(request) : behaviour.text
      : behaviour.text;
    const shape = request.format ? this.shape : 'plain-text';
    const { before, words, after } = replyPieces(text, this.judgement, shape);
    const delayMs = behaviour.mode === 'reply' ? (behaviour.delayMs ?? 0) : 0;
    const complete = behaviour.mode === 'reply';
    const pieces = [...before, ...(complete ? words : words.slice(0, behaviour.pieces)), ...(complete ? after : [])];
    const line = (content: string, done: boolean, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        model: request.model,
        created_at: new Date().toISOString(),
        message: { role: 'assistant', content },
        done,
        ...extra,
      }) + '\n';

    if (!request.stream) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(line(pieces.join(''), true, { done_reason: 'stop' }));
      finished = true;
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    for (const [i, piece] of pieces.entries()) {
      // The judgement's pieces come at once; the answer's words at the model's pace.
      if (delayMs && i > 0 && i >= before.length && i < pieces.length - after.length) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (res.destroyed) return;
      res.write(line(piece, false));
      request.sent.push({ at: preciseNow(), text: piece });
    }
    if (behaviour.mode === 'stall-after') return;
    if (behaviour.mode === 'break-after') {
      res.end(JSON.stringify({ error: 'model runner crashed' }) + '\n');
      finished = true;
      return;
    }
    res.end(line('', true, { done_reason: 'stop', total_duration: 1_000_000, eval_count: pieces.length }));
    finished = true;
  }
}
