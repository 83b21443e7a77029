/** A small structured logger with scopes. Library code logs through this, never console.log. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  scope(name: string): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  (line: { level: LogLevel; scope: string; msg: string; time: number } & Record<string, unknown>): void;
}

export function createLogger(opts: { level?: LogLevel; sink?: LogSink; scope?: string } = {}): Logger {
  const min = ORDER[opts.level ?? 'info'];
  const sink: LogSink =
    opts.sink ??
    ((line) => {
      process.stderr.write(JSON.stringify(line) + '\n');
    });
  const make = (scope: string): Logger => {
    const emit = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
      if (ORDER[level] < min) return;
      sink({ ...fields, level, scope, msg, time: Date.now() });
    };
    return {
      debug: emit('debug'),
      info: emit('info'),
      warn: emit('warn'),
      error: emit('error'),
      scope: (name) => make(scope ? `${scope}.${name}` : name),
    };
  };
  return make(opts.scope ?? '');
}

/** Discards everything: the default where a caller does not care. */
export const silentLogger: Logger = createLogger({ sink: () => {} });
