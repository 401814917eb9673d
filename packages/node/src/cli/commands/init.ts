import { randomBytes } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { initHome } from '../../home/init.js'
import { formatMinimalGenesis } from '../../home/genesis.js'
import { resolveHome } from '../../home/paths.js'
import type { Command } from '../context.js'

/** A chain ID like the reference's `cometbft init` makes: `test-chain-` and six random characters. */
export function randomChainId(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  return `test-chain-${Array.from(randomBytes(6), (b) => letters[b % letters.length]).join('')}`
}

/**
 * `comet-p2p init [--home DIR] [--chain-id ID] [--moniker NAME]`: writes
 * `config/config.toml` (unless one exists), a new `config/node_key.json`
 * (refusing to replace an existing key) and, when there is none,
 * `config/genesis.json` naming `--chain-id` or, as `cometbft init` does, a
 * random `test-chain-XXXXXX`.
 */
export const initCommand: Command = async ({ flags, stdout, env }) => {
  const home = resolveHome(flags.home, env)
  const result = await initHome({ home, chainId: flags['chain-id'], moniker: flags.moniker })
  let chainId = result.config.chainId
  let wroteGenesis = result.wroteGenesis
  if (chainId === undefined) {
    chainId = randomChainId()
    await mkdir(dirname(result.paths.genesisFile), { recursive: true, mode: 0o700 })
    await writeFile(result.paths.genesisFile, formatMinimalGenesis(chainId, new Date()), { flag: 'wx', mode: 0o644 })
    wroteGenesis = true
  }
  const lines = [
    `Initialised ${result.paths.home}`,
    `  node ID   ${result.nodeKey.id}`,
    `  chain ID  ${chainId}`,
    `  config    ${result.paths.configFile}${result.wroteConfig ? '' : ' (existing, unchanged)'}`,
    `  node key  ${result.paths.nodeKeyFile}`,
    `  genesis   ${result.paths.genesisFile}${wroteGenesis ? '' : ' (existing, unchanged)'}`,
    '',
    `Start it with: comet-p2p start --home ${result.paths.home}`
  ]
  stdout.write(`${lines.join('\n')}\n`)
  return 0
}
