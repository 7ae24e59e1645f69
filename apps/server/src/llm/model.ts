/** One turn of a conversation as a chat model sees it. */
export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatTurn[];
  /** Aborts the model call: the visitor stopped or left, or the server is shutting down. */
  signal?: AbortSignal;
  /** A JSON schema the answer must follow (structured output). */
  format?: Record<string, unknown>;
  /** Sampling temperature; lower is more deterministic. */
  temperature?: number;
}

export interface ModelHealth {
  reachable: boolean;
  /** The configured model is pulled and ready. */
  installed: boolean;
  /** When not ready: what is wrong and what to do, in a sentence for the operator. */
  detail?: string;
}

/** Which kind of server answers: Ollama's own API, or any OpenAI-compatible one. */
export type ModelProvider = 'ollama' | 'openai';

/**
 * Why a model call produced no (complete) answer. `aborted` is the caller's own doing;
 * the others mean the model is unavailable right now.
 */
export type ModelFailure = 'unreachable' | 'model_missing' | 'error' | 'timeout' | 'aborted';

export class ModelUnavailableError extends Error {
  override name = 'ModelUnavailableError';
  constructor(
    readonly failure: ModelFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What the reply pipeline needs from a language model; each provider implements it. */
export interface LanguageModel {
  readonly name: string;
  readonly provider: ModelProvider;
  /** Where the model server is, without credentials: for the health check and the banner. */
  readonly url: string;
  /** Streams the answer piece by piece. Throws ModelUnavailableError when it cannot. */
  streamChat(request: ChatRequest): AsyncIterable<string>;
  /** The whole answer at once (used for structured output). */
  chat(request: ChatRequest): Promise<string>;
  health(): Promise<ModelHealth>;
}

/** A server address fit for logs and health reports: user and password removed. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return raw.replace(/\/\/[^/@]*@/, '//');
  }
}

/**
 * The whole answer of a streamed call. Both providers answer `chat()` this way, so that the
 * timeout is about silence, not about the answer's length.
 */
export async function wholeAnswer(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of stream) text += piece;
  return text;
}
