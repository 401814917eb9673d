import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import type { NodeConfig } from '../config/types.js'

/** Environment variable that overrides the default home directory. */
export const HOME_ENV = 'COMET_P2P_HOME'

/** Name of the default home directory, under the user's home. */
export const DEFAULT_HOME_DIR_NAME = '.comet-p2p'

/** The home directory to use when none is given: `$COMET_P2P_HOME`, else `~/.comet-p2p`. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[HOME_ENV]
  return fromEnv !== undefined && fromEnv !== '' ? resolve(fromEnv) : join(homedir(), DEFAULT_HOME_DIR_NAME)
}

/** The absolute home directory for a `--home` value (which wins), else {@link defaultHome}. */
export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  return flag !== undefined && flag !== '' ? resolve(flag) : defaultHome(env)
}

/** The reference `rootify`: `path` if absolute, else `path` under `home`. */
export function rootify(path: string, home: string): string {
  return isAbsolute(path) ? path : join(home, path)
}

/** The files and directories of a home, all absolute. */
export interface HomePaths {
  /** The home directory itself. */
  home: string
  /** `config/` */
  configDir: string
  /** `data/` */
  dataDir: string
  /** `config/config.toml` */
  configFile: string
  /** `node_key_file`, default `config/node_key.json` */
  nodeKeyFile: string
  /** `genesis_file`, default `config/genesis.json` */
  genesisFile: string
  /** `p2p.addr_book_file`, default `config/addrbook.json` */
  addrBookFile: string
}

/**
 * The reference layout of `home` (made absolute): `config/config.toml`,
 * `data/`, and the key, genesis and address book files at the paths `config`
 * gives (defaults: `config/node_key.json`, `config/genesis.json`,
 * `config/addrbook.json`), relative ones resolved against the home.
 */
export function homePaths(
  home: string,
  config?: Pick<NodeConfig, 'nodeKeyFile' | 'genesisFile'> & { p2p: Pick<NodeConfig['p2p'], 'addrBookFile'> }
): HomePaths {
  const root = resolve(home)
  return {
    home: root,
    configDir: join(root, 'config'),
    dataDir: join(root, 'data'),
    configFile: join(root, 'config', 'config.toml'),
    nodeKeyFile: rootify(config?.nodeKeyFile ?? join('config', 'node_key.json'), root),
    genesisFile: rootify(config?.genesisFile ?? join('config', 'genesis.json'), root),
    addrBookFile: rootify(config?.p2p.addrBookFile ?? join('config', 'addrbook.json'), root)
  }
}
