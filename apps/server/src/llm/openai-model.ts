import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import {
  ModelUnavailableError,
  displayUrl,
  wholeAnswer,
  type ChatRequest,
  type ChatTurn,
  type LanguageModel,
  type ModelHealth,
} from './model.js';
import { isConnectionFailure, Watchdog } from './watchdog.js';

export interface OpenAIModelOptions {
  /** The API's base, usually ending in /v1. */
  baseURL: string;
  /** Sent as a bearer token when set; local servers usually need none. */
  apiKey?: string;
  model: string;
  /** Longest wait for the next piece of output (and for the first one). */
  timeoutMs: number;
  /** Told once when the server turns out to lack JSON-schema structured output. */
  log?: { warn(message: string, fields?: Record<string, unknown>): void };
}

/**
 * How structured output is asked for, best first. Servers differ: llama.cpp, vLLM, LM Studio
 * and hosted APIs mostly take a JSON schema, some only JSON mode, a few neither. In the two
 * weaker modes the schema travels in the prompt instead, so the model still sees it.
 */
const STRUCTURED_MODES = ['json_schema', 'json_object', 'prompt'] as const;
type StructuredMode = (typeof STRUCTURED_MODES)[number];

/** The official `openai` client behind the LanguageModel interface, for any compatible server. */
export class OpenAIModel implements LanguageModel {
  readonly name: string;
  readonly provider = 'openai';
  readonly url: string;
  private readonly client: OpenAI;
  /**
   * The best structured-output mode this server accepted so far. Learnt per process (a
   * rejected request costs one extra round trip in each new process), never persisted.
   */
  private structuredMode: StructuredMode = 'json_schema';

  constructor(private readonly options: OpenAIModelOptions) {
    this.name = options.model;
    this.url = displayUrl(options.baseURL);
    this.client = new OpenAI({
      baseURL: options.baseURL,
      // The client insists on a key; without one the Authorization header is left out.
      apiKey: options.apiKey || 'none',
      ...(options.apiKey ? {} : { defaultHeaders: { Authorization: null } }),
      // Only our configuration counts, not the client's own OPENAI_* environment variables.
      adminAPIKey: null,
      organization: null,
      project: null,
      // A retry would stretch OLLAMA_TIMEOUT_MS and delay the visitor's offer of a human;
      // the reply pipeline has its own answer to a failed call.
      maxRetries: 0,
      // The watchdog times calls out; the client's own timer only backs it up.
      timeout: options.timeoutMs + 1000,
      // Errors reach our log through ModelUnavailableError, not the client's console output.
      logLevel: 'off',
    });
  }

  async *streamChat(request: ChatRequest): AsyncIterable<string> {
    const watchdog = new Watchdog(this.options.timeoutMs, request.signal);
    try {
      const stream = await this.open(request, watchdog);
      watchdog.touch();
      let finished = false;
      for await (const chunk of stream) {
        watchdog.touch();
        const choice = chunk.choices?.[0];
        if (choice?.delta?.content) yield choice.delta.content;
        if (choice?.finish_reason) finished = true;
      }
      // The client ends a stream quietly when it is aborted or cut: say so instead.
      watchdog.throwIfInterrupted();
      if (!finished) throw new ModelUnavailableError('error', 'The model server ended the answer before it was complete.');
    } catch (error) {
      throw this.explain(watchdog, error);
    } finally {
      watchdog.dispose();
    }
  }

  chat(request: ChatRequest): Promise<string> {
    return wholeAnswer(this.streamChat(request));
  }

  async health(): Promise<ModelHealth> {
    const watchdog = new Watchdog(Math.min(this.options.timeoutMs, 3000));
    try {
      const page = await this.client.models.list({ signal: watchdog.signal });
      const ids = (page.data ?? []).map((model) => String(model.id));
      if (ids.some((id) => sameModel(id, this.name))) return { reachable: true, installed: true };
      const listed = ids.length ? `it lists ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}` : 'it lists none';
      return { reachable: true, installed: false, detail: `the server does not offer "${this.name}" (${listed}); check OPENAI_MODEL` };
    } catch (error) {
      if (error instanceof APIError && typeof error.status === 'number') {
        // It answered, so it is there; it just cannot serve us as configured.
        return { reachable: true, installed: false, detail: this.healthProblem(error.status) };
      }
      if (error instanceof APIError || watchdog.interruption()) return { reachable: false, installed: false };
      return { reachable: true, installed: false, detail: 'the server gave an unexpected answer to GET /models' };
    } finally {
      watchdog.dispose();
    }
  }

  /** Starts the streamed call, stepping down to a weaker structured-output mode when refused. */
  private async open(request: ChatRequest, watchdog: Watchdog) {
    for (;;) {
      const mode = request.format ? this.structuredMode : null;
      try {
        return await this.client.chat.completions.create(this.body(request, mode), { signal: watchdog.signal });
      } catch (error) {
        if (!mode || mode === 'prompt' || !refusesResponseFormat(error)) throw error;
        const next = STRUCTURED_MODES[STRUCTURED_MODES.indexOf(mode) + 1]!;
        // Concurrent calls may both learn this; only ever step down.
        if (STRUCTURED_MODES.indexOf(next) > STRUCTURED_MODES.indexOf(this.structuredMode)) {
          this.structuredMode = next;
          this.options.log?.warn('the model server refused a structured-output mode; using a simpler one', {
            url: this.url,
            refused: mode,
            now: next,
          });
        }
        watchdog.touch(); // it answered, promptly
      }
    }
  }

  private body(request: ChatRequest, mode: StructuredMode | null): ChatCompletionCreateParamsStreaming {
    const format = request.format;
    const body: ChatCompletionCreateParamsStreaming = {
      model: this.options.model,
      messages: format && mode !== 'json_schema' ? withSchema(request.messages, format) : request.messages,
      stream: true,
      temperature: request.temperature ?? 0.3,
    };
    if (format && mode === 'json_schema') {
      // Not `strict`: strict mode demands every property be required, which optional
      // fields such as the judgement's reason are not.
      body.response_format = { type: 'json_schema', json_schema: { name: schemaName(format), schema: format } };
    } else if (format && mode === 'json_object') {
      body.response_format = { type: 'json_object' };
    }
    return body;
  }

  /** The provider's errors as the reply pipeline understands them (the same as Ollama's). */
  private explain(watchdog: Watchdog, error: unknown): ModelUnavailableError {
    if (error instanceof ModelUnavailableError) return error;
    const interruption = watchdog.interruption(error);
    if (interruption) return interruption;
    if (error instanceof APIConnectionTimeoutError) {
      return new ModelUnavailableError('timeout', `The model gave no answer within ${this.options.timeoutMs} ms.`, { cause: error });
    }
    if (error instanceof APIUserAbortError) return new ModelUnavailableError('aborted', 'The model call was stopped.', { cause: error });
    const text = this.scrub(error instanceof Error ? error.message : String(error));
    if (error instanceof APIError && typeof error.status === 'number') {
      const status = error.status;
      if (status === 404 || error.code === 'model_not_found' || (status === 400 && MODEL_MISSING.test(text))) {
        return new ModelUnavailableError('model_missing', `The model "${this.name}" is not available at ${this.url} (check OPENAI_MODEL).`, { cause: error });
      }
      if (status === 401 || status === 403) {
        // The server's own words may quote part of the key: leave them out.
        return new ModelUnavailableError('error', `The model server refused the API key (${status}); check OPENAI_API_KEY.`, { cause: error });
      }
      return new ModelUnavailableError('error', `The model answered with an error (${status}): ${text}`, { cause: error });
    }
    if (isConnectionFailure(error)) {
      return new ModelUnavailableError('unreachable', 'The model server is not reachable.', { cause: error });
    }
    return new ModelUnavailableError('error', `The model call failed: ${text}`, { cause: error });
  }

  private healthProblem(status: number): string {
    if (status === 401 || status === 403) return `the server refused the API key (${status}); check OPENAI_API_KEY`;
    if (status === 404) return `the server has no model list at ${this.url}/models; check that OPENAI_BASE_URL is the API's base (often ending in /v1)`;
    return `the model list failed with status ${status}`;
  }

  private scrub(text: string): string {
    return this.options.apiKey ? text.split(this.options.apiKey).join('[key]') : text;
  }
}

const MODEL_MISSING = /\bmodel\b.*\b(not found|does not exist|unknown)\b|\b(unknown|invalid) model\b/i;

/** A 400 (or 422) about the response format itself, not about the conversation. */
function refusesResponseFormat(error: unknown): boolean {
  return error instanceof APIError && (error.status === 400 || error.status === 422) && /response_format|json_schema|json_object/i.test(error.message);
}

/** `llama3.2` and `llama3.2:latest` name the same model on Ollama's compatible API. */
function sameModel(id: string, wanted: string): boolean {
  return id === wanted || id === `${wanted}:latest`;
}

/** The name json_schema requires: the schema's title when it fits the allowed pattern. */
function schemaName(format: Record<string, unknown>): string {
  const title = format.title;
  return typeof title === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(title) ? title : 'answer';
}

/** Puts the schema into the system prompt for servers that cannot enforce it themselves. */
function withSchema(messages: ChatTurn[], format: Record<string, unknown>): ChatTurn[] {
  const instruction = `Answer with one JSON object only, following this JSON schema:\n${JSON.stringify(format)}`;
  const [first, ...rest] = messages;
  // One system message at the top: some chat templates refuse a second one later on.
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}
