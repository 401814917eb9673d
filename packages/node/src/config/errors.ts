import { CometError } from '@comet-p2p/types'

/** Where a {@link ConfigError} comes from. */
export interface ConfigErrorOptions extends ErrorOptions {
  /** The offending key as written in `config.toml`, section included, e.g. `p2p.max_num_inbound_peers`. */
  key?: string | undefined
  /** The file the value was read from, when it was read from one. */
  file?: string | undefined
}

/**
 * A configuration value (from `config.toml`, a flag or the API) is missing,
 * of the wrong type or out of range. `key` names it the way `config.toml`
 * does; the message starts with the file when there is one.
 */
export class ConfigError extends CometError {
  static readonly code = 'ERR_CONFIG'
  /** The offending key, e.g. `p2p.seeds`; undefined when the whole file is unreadable. */
  readonly key: string | undefined
  /** The file the value came from, if any. */
  readonly file: string | undefined
  /** The message without the file prefix. */
  readonly detail: string

  constructor(detail: string, options: ConfigErrorOptions = {}) {
    const { key, file, ...errorOptions } = options
    super(ConfigError.code, file === undefined ? detail : `${file}: ${detail}`, errorOptions)
    this.name = 'ConfigError'
    this.key = key
    this.file = file
    this.detail = detail
  }

  /** The same error, attributed to `file`. */
  inFile(file: string): ConfigError {
    return new ConfigError(this.detail, { key: this.key, file, cause: this.cause })
  }
}
