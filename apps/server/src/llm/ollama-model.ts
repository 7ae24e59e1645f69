import { Ollama } from 'ollama';
import {
  ModelUnavailableError,
  type ChatRequest,
  type LanguageModel,
  type ModelHealth,
} from './model.js';

export interface OllamaModelOptions {
  host: string;
  model: string;
  /** Longest wait for the next piece of output (and for the first one). */
  timeoutMs: number;
  /** Conversations stay loaded this long between messages. */
  keepAlive?: string;
}

/** The `ollama` client behind the LanguageModel interface. */
export class OllamaModel implements LanguageModel {
  readonly name: string;

  constructor(private readonly options: OllamaModelOptions) {
    this.name = options.model;
  }

  async *streamChat(request: ChatRequest): AsyncIterable<string> {
    const watchdog = new Watchdog(this.options.timeoutMs, request.signal);
    // One client per call so that its fetch carries this call's abort signal: the library's
    // own stream.abort() only exists once the response headers have arrived.
    const client = new Ollama({ host: this.options.host, fetch: watchdog.fetch });
    try {
      const stream = await client.chat({
        model: this.options.model,
        messages: request.messages,
        stream: true,
        format: request.format,
        keep_alive: this.options.keepAlive ?? '10m',
        options: { temperature: request.temperature ?? 0.3 },
      });
      watchdog.touch();
      for await (const part of stream) {
        watchdog.touch();
        if (part.message?.content) yield part.message.content;
        if (part.done) break;
      }
    } catch (error) {
      throw watchdog.explain(error, this.options.model);
    } finally {
      watchdog.dispose();
    }
  }

  async chat(request: ChatRequest): Promise<string> {
    let text = '';
    for await (const piece of this.streamChat(request)) text += piece;
    return text;
  }

  async health(): Promise<ModelHealth> {
    const watchdog = new Watchdog(Math.min(this.options.timeoutMs, 3000));
    const client = new Ollama({ host: this.options.host, fetch: watchdog.fetch });
    try {
      const { models } = await client.list();
      const wanted = withTag(this.options.model);
      return { reachable: true, installed: models.some((m) => withTag(m.name) === wanted) };
    } catch {
      return { reachable: false, installed: false };
    } finally {
      watchdog.dispose();
    }
  }
}

/** `llama3.2` and `llama3.2:latest` name the same model. */
function withTag(name: string): string {
  return name.includes(':') ? name : `${name}:latest`;
}

/**
 * Aborts a model call when the caller's signal fires or when the model goes quiet for
 * longer than the timeout, and remembers which of the two happened.
 */
class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly onCallerAbort = () => this.controller.abort();

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    if (callerSignal?.aborted) this.controller.abort();
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.touch();
  }

  readonly fetch: typeof fetch = (input, init) => {
    const signals = [this.controller.signal, init?.signal].filter((s): s is AbortSignal => !!s);
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, this.timeoutMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  explain(error: unknown, model: string): ModelUnavailableError {
    if (error instanceof ModelUnavailableError) return error;
    if (this.timedOut) {
      return new ModelUnavailableError('timeout', `The model gave no answer within ${this.timeoutMs} ms.`, { cause: error });
    }
    if (this.callerSignal?.aborted) {
      return new ModelUnavailableError('aborted', 'The model call was stopped.', { cause: error });
    }
    const status = (error as { status_code?: number }).status_code;
    const text = error instanceof Error ? error.message : String(error);
    if (status === 404 || /not found/i.test(text)) {
      return new ModelUnavailableError('model_missing', `The model "${model}" is not installed (ollama pull ${model}).`, { cause: error });
    }
    if (status !== undefined) {
      return new ModelUnavailableError('error', `The model answered with an error (${status}): ${text}`, { cause: error });
    }
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || /fetch failed/i.test(text)) {
      return new ModelUnavailableError('unreachable', 'The model server is not reachable.', { cause: error });
    }
    return new ModelUnavailableError('error', `The model call failed: ${text}`, { cause: error });
  }
}
