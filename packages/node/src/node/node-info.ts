import type { SwitchNodeInfo } from '@comet-p2p/switch'
import type { NodeInfoProtocolVersion } from '@comet-p2p/types'
import { version as packageVersion } from '../../package.json'
import type { NodeConfig } from '../config/types.js'
import type { NodeInfoOptions } from './options.js'

/** The version of this package, sent as `version` in our NodeInfo. */
export const NODE_VERSION: string = packageVersion

/** Protocol versions of CometBFT v0.34–v0.38: p2p 8, block 11, app 0. */
export const DEFAULT_PROTOCOL_VERSION: Readonly<NodeInfoProtocolVersion> = Object.freeze({ p2p: 8, block: 11, app: 0 })

/**
 * Our NodeInfo without ID and channels (the switch adds them): network =
 * chain ID, `listenAddr` = `external_address` or else `laddr` as the
 * reference node builds it (a port 0 is replaced by the bound port on start).
 */
export function buildNodeInfo(config: NodeConfig & { chainId: string }, options: NodeInfoOptions = {}): SwitchNodeInfo {
  const external = config.p2p.externalAddress
  return {
    protocolVersion: { ...DEFAULT_PROTOCOL_VERSION, ...definedOnly(options.protocolVersion) },
    listenAddr: external !== '' ? external : config.p2p.laddr,
    network: config.chainId,
    version: options.version ?? NODE_VERSION,
    moniker: config.moniker,
    other: { txIndex: options.txIndex ?? 'off', rpcAddress: options.rpcAddress ?? '' }
  }
}

function definedOnly(values: Partial<NodeInfoProtocolVersion> | undefined): Partial<NodeInfoProtocolVersion> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v !== undefined))
}
