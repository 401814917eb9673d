import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { NodeKey } from '@comet-p2p/types'
import { ConfigError } from '../config/errors.js'
import { specOfKey } from '../config/schema.js'
import { parseConfigToml } from '../config/toml.js'
import { defaultNodeConfig, mergeNodeConfig, type NodeConfig, type NodeConfigOverrides } from '../config/types.js'
import { validateNodeConfig } from '../config/validate.js'
import { readGenesisChainId } from './genesis.js'
import { loadHomeNodeKey } from './node-key.js'
import { homePaths, rootify, type HomePaths } from './paths.js'

/** Options of {@link loadHome}. */
export interface LoadHomeOptions {
  /**
   * Create a node key when there is none, as the reference node does on
   * start. Default false: a missing key is a `NodeKeyNotFoundError`.
   */
  generateNodeKey?: boolean | undefined
}

/** A home directory, read. */
export interface LoadedHome {
  /** The configuration: file, then overrides; `genesisFile`, `nodeKeyFile` and `p2p.addrBookFile` made absolute. */
  config: NodeConfig
  paths: HomePaths
  nodeKey: NodeKey
  /** False when there was no `config.toml` and the defaults were used. */
  configFileFound: boolean
}

async function readConfigText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ConfigError(`cannot read: ${(err as Error).message}`, { file, cause: err })
  }
}

/** Whether the value of `key` (e.g. `p2p.seeds`) was set by `overrides` rather than read from the file. */
function overridden(key: string | undefined, overrides: NodeConfigOverrides): boolean {
  if (key === 'chain_id') return true // never read from config.toml
  const spec = key === undefined ? undefined : specOfKey(key)
  if (spec === undefined) return false
  const source: object | undefined =
    spec.section === '' ? overrides : spec.section === 'p2p' ? overrides.p2p : overrides.instrumentation
  return (source as Record<string, unknown> | undefined)?.[spec.field] !== undefined
}

/**
 * Reads a home directory: `config/config.toml` (defaults when absent; keys
 * of CometBFT v0.34–v0.38 understood, others ignored), then applies
 * `overrides` (e.g. from flags; their `home` is ignored), takes the chain ID
 * from `overrides.chainId` or else the genesis file's `chain_id` (left unset
 * when there is no genesis file), validates everything, resolves relative
 * paths against the home and loads the node key.
 *
 * Throws a `ConfigError` (naming the file when the bad value is from it), a
 * `GenesisError`, a `NodeKeyNotFoundError` or an `InvalidNodeKeyError`
 * naming the key file.
 */
export async function loadHome(home: string, overrides: NodeConfigOverrides = {}, options: LoadHomeOptions = {}): Promise<LoadedHome> {
  const root = resolve(home)
  const configFile = homePaths(root).configFile
  const text = await readConfigText(configFile)
  const fromFile = text === undefined ? defaultNodeConfig(root) : parseConfigToml(text, { home: root, file: configFile })
  const config = mergeNodeConfig(fromFile, { ...overrides, home: root })
  const chainId = overrides.chainId ?? (await readGenesisChainId(rootify(config.genesisFile, root)))
  config.chainId = chainId
  try {
    validateNodeConfig(config)
  } catch (err) {
    if (text !== undefined && err instanceof ConfigError && !overridden(err.key, overrides)) throw err.inFile(configFile)
    throw err
  }
  const paths = homePaths(root, config)
  config.genesisFile = paths.genesisFile
  config.nodeKeyFile = paths.nodeKeyFile
  config.p2p.addrBookFile = paths.addrBookFile
  const nodeKey = await loadHomeNodeKey(paths.nodeKeyFile, options.generateNodeKey ?? false)
  return { config, paths, nodeKey, configFileFound: text !== undefined }
}
