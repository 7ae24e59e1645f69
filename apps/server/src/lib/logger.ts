/** Where the server writes what happened: one call per event, with structured fields. */
export interface Logger {
  /** Off unless LOG_LEVEL=debug: the only level that may carry mail text and addresses. */
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * One JSON line per event on stdout/stderr: easy to read, easy to ship. Lines below `level`
 * are dropped; at the default (info) no line holds visitor text, codes or email addresses.
 */
export function createLogger(sink: Pick<Console, 'log' | 'error'> = console, level: LogLevel = 'info'): Logger {
  const least = LOG_LEVELS.indexOf(level);
  const write = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(at) < least) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields });
    if (at === 'error') sink.error(line);
    else sink.log(line);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/**
 * An error for a log line: its name and the first line of its message, cut short. Database
 * errors name their SQL with placeholders only (values are bound), never the values.
 */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const line = text.split('\n', 1)[0]!;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** For tests: keeps the lines instead of printing them. */
export function createMemoryLogger(): Logger & { lines: Array<{ level: string; message: string } & Record<string, unknown>> } {
  const lines: Array<{ level: string; message: string } & Record<string, unknown>> = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, ...fields });
  };
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
