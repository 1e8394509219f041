/**
 * hclog-style JSON logging to stderr. Terraform reads the provider's stderr line by line and
 * re-logs JSON lines at their `@level`; stdout is reserved for the handshake line.
 */

/** hclog level names, lowest first. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
/** Extra key/value pairs on a log line; they become hclog fields. Never pass secrets. */
export type LogFields = Record<string, unknown>;

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** A leveled logger; every layer of the provider logs through the shared `logger`. */
export interface Logger {
  trace(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** True when a line at `level` would be written; guards costly field computation. */
  enabled(level: LogLevel): boolean;
}

/**
 * The threshold, read as Terraform reads it for provider logs: TF_LOG_PROVIDER, else TF_LOG
 * (an empty value counts as unset); TRACE, DEBUG, INFO, WARN, ERROR or OFF in any case; `JSON`
 * means trace; any other word means trace, as Terraform defaults an invalid level to TRACE.
 * terraform-plugin-go writes every level and leaves filtering to the host; filtering here at the
 * host's own threshold writes only lines the host keeps. Unset means warn: the host then discards
 * provider lines, but a provider run with --debug writes to the developer's terminal.
 * Called once when the logger is created.
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel | 'off' {
  const raw = (env.TF_LOG_PROVIDER?.trim() || env.TF_LOG?.trim() || '').toLowerCase();
  if (raw === '') return 'warn';
  if (raw === 'off') return 'off';
  return (LEVELS as readonly string[]).includes(raw) ? (raw as LogLevel) : 'trace';
}

/**
 * An RFC 3339 UTC timestamp with exactly 6 fractional digits, as go-hclog writes; Terraform
 * demotes a line with any other precision to plain debug text. Called for every log line.
 */
export function hclogTimestamp(epochMicros = Math.floor((performance.timeOrigin + performance.now()) * 1000)): string {
  const millis = Math.floor(epochMicros / 1000);
  const iso = new Date(millis).toISOString(); // 2025-01-02T03:04:05.123Z
  return `${iso.slice(0, 23)}${String(epochMicros - millis * 1000).padStart(3, '0')}Z`;
}

/** Options for createLogger; tests pass `write` to capture lines. */
export interface LoggerOptions {
  level?: LogLevel | 'off';
  module?: string;
  write?: (line: string) => void;
}

/** Builds a logger; the shared `logger` is one, tests build their own. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const threshold = opts.level ?? logLevelFromEnv();
  const min = threshold === 'off' ? LEVELS.length : LEVELS.indexOf(threshold);
  const module = opts.module ?? 'sym';
  const write = opts.write ?? ((line: string) => void process.stderr.write(line));
  const enabled = (level: LogLevel): boolean => LEVELS.indexOf(level) >= min;
  const log = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (!enabled(level)) return;
    // Fields first so they can never replace the @-keys Terraform type-asserts as strings.
    const entry = { ...fields, '@level': level, '@message': String(message), '@module': module, '@timestamp': hclogTimestamp() };
    let line: string;
    try {
      line = JSON.stringify(entry, jsonSafe);
    } catch {
      line = JSON.stringify({ '@level': level, '@message': String(message), '@module': module, '@timestamp': hclogTimestamp() });
    }
    write(`${line}\n`);
  };
  return { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), enabled };
}

// JSON.stringify throws on bigint; log fields may carry TfValues, errors or symbols.
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'symbol') return value.description ?? value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** The provider's one logger (module "sym"); every layer logs through it, at the TF_LOG_PROVIDER / TF_LOG threshold. */
export const logger: Logger = createLogger();
