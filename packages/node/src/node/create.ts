import { ConfigError } from '../config/errors.js'
import { defaultNodeConfig, mergeNodeConfig } from '../config/types.js'
import { validateNodeConfig } from '../config/validate.js'
import type { ResolvedNodeConfig } from './components.js'
import { P2PNode } from './node.js'
import { configOverridesOf, type NodeOptions } from './options.js'

/**
 * Applies the reference defaults to the configuration part of `options`,
 * validates it (`validateNodeConfig`) and requires a chain ID. Throws a
 * `ConfigError` naming the offending key.
 */
export function resolveNodeConfig(options: NodeOptions): ResolvedNodeConfig {
  const overrides = configOverridesOf(options)
  const config = mergeNodeConfig(defaultNodeConfig(overrides.home ?? ''), overrides)
  validateNodeConfig(config)
  if (config.chainId === undefined) {
    throw new ConfigError('chain_id is required: the network name that peers must share', { key: 'chain_id' })
  }
  return { ...config, chainId: config.chainId }
}

/**
 * Creates a node from a configuration (any subset of `NodeConfig`, the
 * reference defaults for the rest; `chainId` required) and its parts: node
 * key, custom reactors, logger, metrics, clock, randomness and PEX, switch
 * and address book settings beyond `config.toml`. Nothing is opened until
 * `start()`. Throws a `ConfigError` for an invalid configuration, and
 * `InvalidArgumentError` / `DuplicateReactorError` / `ChannelConflictError`
 * for unusable parts.
 */
export function createNode(options: NodeOptions): P2PNode {
  return new P2PNode(resolveNodeConfig(options), options)
}
