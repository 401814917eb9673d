/** Structured context attached to a log line. */
export type LogFields = Record<string, unknown>

/**
 * The logging interface every comet-p2p component accepts. Components log
 * nothing unless given a logger; adapt any logging library (pino, winston,
 * console) by implementing these five methods.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  /** A logger that adds `fields` to every line it writes. */
  child(fields: LogFields): Logger
}

const noop = (): void => undefined

/** A logger that discards everything: the default of every component. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger
}
