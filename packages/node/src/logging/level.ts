import { InvalidArgumentError } from '@comet-p2p/types'

/** A log level; `none` logs nothing. (`warn` is ours: the reference has debug, info and error only.) */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'none'

/** Severity order: a line is written when its level is at least the threshold. */
export const LOG_LEVEL_SEVERITY: Readonly<Record<LogLevel, number>> = Object.freeze({
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  none: 100
})

/** The levels in increasing severity. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'none']

/** A parsed `log_level`: a default threshold and per-module ones (keyed by the `module` log field). */
export interface LogLevelFilter {
  /** Threshold of lines without a module, or of a module not listed. */
  default: LogLevel
  /** Thresholds by module name. */
  modules: ReadonlyMap<string, LogLevel>
}

function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text)
}

/**
 * Parses a CometBFT `log_level`: one level (`"info"`), or comma-separated
 * `module:level` pairs where `*` is every other module
 * (`"p2p:debug,pex:none,*:error"`). Without a `*` pair the default is
 * `defaultLevel` (the reference uses `"info"`). Unlike the reference, spaces
 * around items are ignored and `warn` is accepted. Throws an
 * `InvalidArgumentError` explaining what is wrong.
 */
export function parseLogLevel(text: string, defaultLevel: LogLevel = 'info'): LogLevelFilter {
  if (text.trim() === '') throw new InvalidArgumentError('empty log level')
  const spec = text.includes(':') ? text : `*:${text}`
  let fallback: LogLevel | undefined
  const modules = new Map<string, LogLevel>()
  for (const rawItem of spec.split(',')) {
    const item = rawItem.trim()
    const pair = item.split(':')
    if (pair.length !== 2) {
      throw new InvalidArgumentError(`log level ${JSON.stringify(text)}: expected "module:level" pairs, got ${JSON.stringify(item)}`)
    }
    const module = (pair[0] ?? '').trim()
    const level = (pair[1] ?? '').trim()
    if (!isLogLevel(level)) {
      throw new InvalidArgumentError(
        `log level ${JSON.stringify(text)}: unknown level ${JSON.stringify(level)} (expected ${LOG_LEVELS.join(', ')})`
      )
    }
    if (module === '') throw new InvalidArgumentError(`log level ${JSON.stringify(text)}: empty module name in ${JSON.stringify(item)}`)
    if (module === '*') fallback = level
    else modules.set(module, level)
  }
  return { default: fallback ?? defaultLevel, modules }
}

/** The threshold that applies to `module` under `filter`. */
export function levelForModule(filter: LogLevelFilter, module: string | undefined): LogLevel {
  return (module === undefined ? undefined : filter.modules.get(module)) ?? filter.default
}
