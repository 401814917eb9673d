import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { NodeKey } from '@comet-p2p/types'
import { ConfigError } from '../config/errors.js'
import { formatConfigToml, parseConfigToml } from '../config/toml.js'
import { defaultNodeConfig, mergeNodeConfig, type NodeConfig, type NodeConfigOverrides } from '../config/types.js'
import { validateNodeConfig } from '../config/validate.js'
import { GenesisError, NodeKeyExistsError } from './errors.js'
import { readGenesisChainId, writeGenesisIfAbsent } from './genesis.js'
import { createNodeKeyFile, pathExists } from './node-key.js'
import { homePaths, type HomePaths } from './paths.js'

/** Options of {@link initHome}. */
export interface InitHomeOptions {
  /** The home directory; created if needed. */
  home: string
  /** Chain ID for a new `genesis.json`; must match an existing one. */
  chainId?: string | undefined
  /** Moniker written to a new `config.toml` (default: the host name). */
  moniker?: string | undefined
  /** Further settings written to a new `config.toml`. */
  config?: NodeConfigOverrides | undefined
  /** The node key to save (default: a new random one). */
  nodeKey?: NodeKey | undefined
  /** Time stamp of a new genesis (default: now). */
  genesisTime?: Date | undefined
}

/** What {@link initHome} found and wrote. */
export interface InitHomeResult {
  paths: HomePaths
  /** The configuration of the home: the existing `config.toml`, or the one written. */
  config: NodeConfig
  /** The node key saved. */
  nodeKey: NodeKey
  /** False when a `config.toml` was already there (it is never modified). */
  wroteConfig: boolean
  /** True when a minimal `genesis.json` was written. */
  wroteGenesis: boolean
}

async function readExistingConfig(file: string, home: string): Promise<NodeConfig | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ConfigError(`cannot read: ${(err as Error).message}`, { file, cause: err })
  }
  return parseConfigToml(text, { home, file })
}

/**
 * Prepares a home directory in the reference layout: `config/`, `data/`,
 * `config/config.toml` (only if absent: an existing one, e.g. CometBFT's, is
 * never modified, and `moniker` / `config` then have no effect),
 * `config/node_key.json` (mode 0600), and with `chainId` a minimal
 * `config/genesis.json` if there is none (the paths of an existing
 * `config.toml` are honoured).
 *
 * Refuses with a {@link NodeKeyExistsError} if a node key already exists,
 * and with a {@link GenesisError} if an existing genesis names another
 * chain; in both cases before writing anything. Invalid settings throw a
 * {@link ConfigError}.
 */
export async function initHome(options: InitHomeOptions): Promise<InitHomeResult> {
  const home = resolve(options.home)
  const configFile = homePaths(home).configFile
  const existing = await readExistingConfig(configFile, home)
  const overrides: NodeConfigOverrides = { moniker: options.moniker, ...options.config }
  const config = existing ?? mergeNodeConfig(defaultNodeConfig(home), overrides)
  config.home = home
  if (options.chainId !== undefined) config.chainId = options.chainId
  try {
    validateNodeConfig(config)
  } catch (err) {
    throw existing !== undefined && err instanceof ConfigError && err.key !== 'chain_id' ? err.inFile(configFile) : err
  }
  const paths = homePaths(home, config)

  if (await pathExists(paths.nodeKeyFile)) throw new NodeKeyExistsError(paths.nodeKeyFile)
  const current = await readGenesisChainId(paths.genesisFile)
  if (options.chainId !== undefined && current !== undefined && current !== options.chainId) {
    throw new GenesisError(paths.genesisFile, `has chain_id ${JSON.stringify(current)}, not ${JSON.stringify(options.chainId)}`)
  }

  await mkdir(paths.configDir, { recursive: true, mode: 0o700 })
  await mkdir(paths.dataDir, { recursive: true, mode: 0o700 })
  let wroteConfig = false
  if (existing === undefined) {
    try {
      await writeFile(paths.configFile, formatConfigToml(config), { flag: 'wx', mode: 0o644 })
      wroteConfig = true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
  const nodeKey = options.nodeKey ?? NodeKey.generate()
  await createNodeKeyFile(nodeKey, paths.nodeKeyFile)
  let wroteGenesis = false
  if (options.chainId !== undefined && current === undefined) {
    await mkdir(dirname(paths.genesisFile), { recursive: true, mode: 0o700 })
    wroteGenesis = await writeGenesisIfAbsent(paths.genesisFile, options.chainId, options.genesisTime ?? new Date())
  }
  return { paths, config: { ...config, chainId: options.chainId ?? current }, nodeKey, wroteConfig, wroteGenesis }
}
