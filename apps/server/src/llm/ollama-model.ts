import { Ollama } from 'ollama';
import {
  ModelUnavailableError,
  type ChatRequest,
  type LanguageModel,
  type ModelHealth,
  displayUrl,
  wholeAnswer,
} from './model.js';
import { isConnectionFailure, Watchdog } from './watchdog.js';

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
  readonly provider = 'ollama';
  readonly url: string;

  constructor(private readonly options: OllamaModelOptions) {
    this.name = options.model;
    this.url = displayUrl(options.host);
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
      throw explain(watchdog, error, this.options.model);
    } finally {
      watchdog.dispose();
    }
  }

  chat(request: ChatRequest): Promise<string> {
    return wholeAnswer(this.streamChat(request));
  }

  async health(): Promise<ModelHealth> {
    const watchdog = new Watchdog(Math.min(this.options.timeoutMs, 3000));
    const client = new Ollama({ host: this.options.host, fetch: watchdog.fetch });
    try {
      const { models } = await client.list();
      const wanted = withTag(this.options.model);
      const installed = models.some((m) => withTag(m.name) === wanted);
      return installed
        ? { reachable: true, installed }
        : { reachable: true, installed, detail: `not pulled yet (run: ollama pull ${this.options.model})` };
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

/** Ollama's errors as the reply pipeline understands them. */
function explain(watchdog: Watchdog, error: unknown, model: string): ModelUnavailableError {
  if (error instanceof ModelUnavailableError) return error;
  const interruption = watchdog.interruption(error);
  if (interruption) return interruption;
  const status = (error as { status_code?: number }).status_code;
  const text = error instanceof Error ? error.message : String(error);
  if (status === 404 || /not found/i.test(text)) {
    return new ModelUnavailableError('model_missing', `The model "${model}" is not installed (ollama pull ${model}).`, { cause: error });
  }
  if (status !== undefined) {
    return new ModelUnavailableError('error', `The model answered with an error (${status}): ${text}`, { cause: error });
  }
  if (isConnectionFailure(error)) {
    return new ModelUnavailableError('unreachable', 'The model server is not reachable.', { cause: error });
  }
  return new ModelUnavailableError('error', `The model call failed: ${text}`, { cause: error });
}
