import { CometError } from '@comet-p2p/types'

/** `initHome` found a node key already in place and will not replace it. */
export class NodeKeyExistsError extends CometError {
  static readonly code = 'ERR_NODE_KEY_EXISTS'
  /** The existing key file. */
  readonly file: string
  constructor(file: string) {
    super(NodeKeyExistsError.code, `node key ${file} already exists; it is never overwritten (remove it to create a new identity)`)
    this.name = 'NodeKeyExistsError'
    this.file = file
  }
}

/** The node key file does not exist. */
export class NodeKeyNotFoundError extends CometError {
  static readonly code = 'ERR_NODE_KEY_NOT_FOUND'
  /** The missing key file. */
  readonly file: string
  constructor(file: string, options?: ErrorOptions) {
    super(NodeKeyNotFoundError.code, `node key ${file} does not exist (create one with "comet-p2p init" or initHome)`, options)
    this.name = 'NodeKeyNotFoundError'
    this.file = file
  }
}

/** `genesis.json` cannot be read, is not JSON, or has an unusable `chain_id`. */
export class GenesisError extends CometError {
  static readonly code = 'ERR_GENESIS'
  /** The genesis file. */
  readonly file: string
  constructor(file: string, detail: string, options?: ErrorOptions) {
    super(GenesisError.code, `${file}: ${detail}`, options)
    this.name = 'GenesisError'
    this.file = file
  }
}
