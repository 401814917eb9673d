import { InvalidArgumentError, systemClock, type Clock, type LogFields, type Logger } from '@comet-p2p/types'
import type { LogFormat } from '../config/types.js'
import { formatJsonLine, formatPlainLine, type LogRecord } from './format.js'
import { LOG_LEVEL_SEVERITY, levelForModule, parseLogLevel, type LogLevelFilter } from './level.js'

/** Where lines go: anything with a `write(text)` method, such as `process.stderr` or a file stream. */
export interface LogStream {
  write(chunk: string): unknown
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** A CometBFT `log_level` string (`"info"`, `"p2p:debug,*:error"`) or a parsed filter. Default `"info"`. */
  level?: string | LogLevelFilter | undefined
  /** `plain` (CometBFT-style text) or `json`. Default `plain`. */
  format?: LogFormat | undefined
  /** Default `process.stderr`. */
  stream?: LogStream | undefined
  /** Time source of the time stamps. Default the system clock. */
  clock?: Clock | undefined
  /** Print plain time stamps in UTC instead of local time (the reference uses local time; JSON is always UTC). Default false. */
  utc?: boolean | undefined
  /** Fields added to every line. */
  fields?: LogFields | undefined
}

interface Sink {
  filter: LogLevelFilter
  format: LogFormat
  stream: LogStream
  clock: Clock
  utc: boolean
}

class StructuredLogger implements Logger {
  readonly #sink: Sink
  readonly #fields: LogFields

  constructor(sink: Sink, fields: LogFields) {
    this.#sink = sink
    this.#fields = fields
  }

  debug(message: string, fields?: LogFields): void {
    this.#log('debug', message, fields)
  }

  info(message: string, fields?: LogFields): void {
    this.#log('info', message, fields)
  }

  warn(message: string, fields?: LogFields): void {
    this.#log('warn', message, fields)
  }

  error(message: string, fields?: LogFields): void {
    this.#log('error', message, fields)
  }

  child(fields: LogFields): Logger {
    return new StructuredLogger(this.#sink, { ...this.#fields, ...fields })
  }

  #log(level: LogRecord['level'], message: string, fields: LogFields | undefined): void {
    const all = fields === undefined ? this.#fields : { ...this.#fields, ...fields }
    const module = typeof all.module === 'string' ? all.module : undefined
    const threshold = levelForModule(this.#sink.filter, module)
    if (LOG_LEVEL_SEVERITY[level] < LOG_LEVEL_SEVERITY[threshold]) return
    const record: LogRecord = { level, time: this.#sink.clock.now(), message, fields: all }
    const line = this.#sink.format === 'json' ? formatJsonLine(record) : formatPlainLine(record, this.#sink.utc)
    try {
      this.#sink.stream.write(line)
    } catch {
      // Logging never takes the node down (e.g. a closed pipe).
    }
  }
}

/**
 * A {@link Logger} writing one line per call to a stream, in CometBFT's
 * plain or JSON format, filtered by level. With a per-module `log_level`
 * (`"p2p:debug,*:error"`), the threshold is chosen by the `module` field of
 * the line (set with `child({ module: 'p2p' })` or per call); lines without
 * a listed module use the `*` level. Throws an `InvalidArgumentError` for a
 * malformed level string or an unknown format.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info'
  const format = options.format ?? 'plain'
  if (format !== 'plain' && format !== 'json') {
    throw new InvalidArgumentError(`log format must be "plain" or "json", got ${JSON.stringify(format)}`)
  }
  const sink: Sink = {
    filter: typeof level === 'string' ? parseLogLevel(level) : level,
    format,
    stream: options.stream ?? process.stderr,
    clock: options.clock ?? systemClock,
    utc: options.utc ?? false
  }
  return new StructuredLogger(sink, { ...options.fields })
}
