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
}

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

/** What the reply pipeline needs from a language model; the Ollama client implements it. */
export interface LanguageModel {
  readonly name: string;
  /** Streams the answer piece by piece. Throws ModelUnavailableError when it cannot. */
  streamChat(request: ChatRequest): AsyncIterable<string>;
  /** The whole answer at once (used for structured output). */
  chat(request: ChatRequest): Promise<string>;
  health(): Promise<ModelHealth>;
}
