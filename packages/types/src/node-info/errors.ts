import { CometError } from '../errors.js'

/** The NodeInfo field a {@link NodeInfoInvalidError} is about. */
export type NodeInfoField = 'id' | 'listenAddr' | 'version' | 'channels' | 'moniker' | 'other.txIndex' | 'other.rpcAddress'

/** A NodeInfo fails validation; `field` says which check failed first. */
export class NodeInfoInvalidError extends CometError {
  static readonly code = 'ERR_NODE_INFO_INVALID'
  /** The first field found unacceptable. */
  readonly field: NodeInfoField
  constructor(field: NodeInfoField, message: string, options?: ErrorOptions) {
    super(NodeInfoInvalidError.code, `invalid NodeInfo ${field}: ${message}`, options)
    this.name = 'NodeInfoInvalidError'
    this.field = field
  }
}

/** Why two NodeInfos are incompatible. */
export type NodeInfoIncompatibility = 'block_version' | 'network' | 'channels'

/** A peer's NodeInfo is not compatible with ours; `reason` says which rule failed first. */
export class NodeInfoIncompatibleError extends CometError {
  static readonly code = 'ERR_NODE_INFO_INCOMPATIBLE'
  /** The first rule that failed. */
  readonly reason: NodeInfoIncompatibility
  constructor(reason: NodeInfoIncompatibility, message: string) {
    super(NodeInfoIncompatibleError.code, `incompatible peer: ${message}`)
    this.name = 'NodeInfoIncompatibleError'
    this.reason = reason
  }
}
