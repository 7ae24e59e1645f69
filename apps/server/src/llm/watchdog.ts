import { ModelUnavailableError } from './model.js';

/**
 * Aborts a model call when the caller's signal fires or when the model goes quiet for
 * longer than the timeout, and remembers which of the two happened. Shared by every
 * provider so that a timeout means the same thing whichever server answers.
 */
export class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly onCallerAbort = () => this.controller.abort();

  constructor(
    readonly timeoutMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    if (callerSignal?.aborted) this.controller.abort();
    callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.touch();
  }

  /** Fires on either the caller's abort or the timeout. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** A fetch that carries this call's abort signal (for clients that take a fetch). */
  readonly fetch: typeof fetch = (input, init) => {
    const signals = [this.controller.signal, init?.signal].filter((s): s is AbortSignal => !!s);
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };

  /** The model said something: the idle timeout starts again. */
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

  /** `timeout` or `aborted` when this watchdog stopped the call, otherwise null. */
  interruption(cause?: unknown): ModelUnavailableError | null {
    if (this.timedOut) {
      return new ModelUnavailableError('timeout', `The model gave no answer within ${this.timeoutMs} ms.`, { cause });
    }
    if (this.callerSignal?.aborted) {
      return new ModelUnavailableError('aborted', 'The model call was stopped.', { cause });
    }
    return null;
  }

  /**
   * Some clients end a stream quietly when it is aborted; this turns that quiet end into
   * the failure it is, so a cut answer never passes for a complete one.
   */
  throwIfInterrupted(): void {
    const interruption = this.interruption();
    if (interruption) throw interruption;
  }
}

/** The server could not be reached at all (nothing listens, no such host). */
export function isConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; current = (current as { cause?: unknown }).cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') return true;
    if (current instanceof Error && /fetch failed/i.test(current.message)) return true;
  }
  return false;
}
