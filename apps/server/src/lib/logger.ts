/** Where the server writes what happened: one call per event, with structured fields. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON line per event on stdout/stderr: easy to read, easy to ship. */
export function createLogger(sink: Pick<Console, 'log' | 'error'> = console): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
    if (level === 'error') sink.error(line);
    else sink.log(line);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** For tests: keeps the lines instead of printing them. */
export function createMemoryLogger(): Logger & { lines: Array<{ level: string; message: string } & Record<string, unknown>> } {
  const lines: Array<{ level: string; message: string } & Record<string, unknown>> = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, ...fields });
  };
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}
