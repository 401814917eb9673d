import { ConfigError } from '../config/errors.js'
import type { NodeConfigOverrides } from '../config/types.js'
import { loadHome } from '../home/load.js'
import { createNode } from './create.js'
import type { P2PNode } from './node.js'
import type { NON_CONFIG_OPTIONS} from './options.js';
import { type NodeOptions } from './options.js'

/** Options of {@link createNodeFromHome}: the non-configuration parts of `NodeOptions`, and key generation. */
export type NodeFromHomeOptions = Pick<NodeOptions, (typeof NON_CONFIG_OPTIONS)[number]> & {
  /** Create a node key when the home has none (as `cometbft start` does). Default false: a missing key is an error. */
  generateNodeKey?: boolean | undefined
}

/**
 * Creates a node from a home directory in the reference layout (ours or a
 * CometBFT node's): `config/config.toml` (the base keys, `[p2p]` and
 * `[instrumentation]`), then `overrides` (e.g. from flags), the chain ID
 * from `config/genesis.json` unless `overrides.chainId` is given, the node
 * key from `config/node_key.json` (unless `options.nodeKey` is given) and
 * the address book in `config/addrbook.json`. Rejects like `loadHome` does,
 * and with a `ConfigError` (key `chain_id`) when there is no chain ID.
 */
export async function createNodeFromHome(
  home: string,
  overrides: NodeConfigOverrides = {},
  options: NodeFromHomeOptions = {}
): Promise<P2PNode> {
  const { generateNodeKey, ...parts } = options
  const loaded = await loadHome(home, overrides, { generateNodeKey: generateNodeKey === true })
  if (loaded.config.chainId === undefined) {
    throw new ConfigError(
      `no chain ID: ${loaded.paths.genesisFile} does not exist; pass one (--chain-id) or add the chain's genesis.json`,
      { key: 'chain_id' }
    )
  }
  return createNode({ ...loaded.config, ...parts, nodeKey: parts.nodeKey ?? loaded.nodeKey })
}
