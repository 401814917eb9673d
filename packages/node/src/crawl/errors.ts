import { CometError } from '@comet-p2p/types'

/** Learning a node's chain ID through a bare handshake failed: it did not answer, or sent no NodeInfo. */
export class ProbeError extends CometError {
  static readonly code = 'ERR_PROBE'
  constructor(message: string, options?: ErrorOptions) {
    super(ProbeError.code, message, options)
    this.name = 'ProbeError'
  }
}
