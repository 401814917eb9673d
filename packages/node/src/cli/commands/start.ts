import { ConfigError } from '../../config/errors.js'
import { loadHome } from '../../home/load.js'
import { resolveHome } from '../../home/paths.js'
import { createLogger } from '../../logging/logger.js'
import { createNode } from '../../node/node.js'
import { flagsToOverrides } from '../args-apply.js'
import type { Command } from '../context.js'

/** Resolves when `signal` fires (at once if it already has). */
function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}

/**
 * `comet-p2p start [--home DIR] [node flags]`: runs a node from the home
 * (config.toml, then the flags; the node key must exist) until SIGINT or
 * SIGTERM, then stops it gracefully (peers closed, address book saved).
 */
export const startCommand: Command = async ({ flags, stdout, stderr, env, signal }) => {
  const home = resolveHome(flags.home, env)
  const loaded = await loadHome(home, flagsToOverrides(flags))
  const { config } = loaded
  if (config.chainId === undefined) {
    throw new ConfigError(`no chain ID: ${loaded.paths.genesisFile} does not exist; pass --chain-id or add the chain's genesis.json`, {
      key: 'chain_id'
    })
  }
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, stream: stderr })
  const node = createNode({ ...config, nodeKey: loaded.nodeKey, logger })
  await node.start()
  stdout.write(
    `node ${node.netAddress().toString()} started on chain ${config.chainId}` +
      `${node.metricsUrl === undefined ? '' : `, metrics at ${node.metricsUrl}`}; Ctrl-C stops it\n`
  )
  await untilAborted(signal)
  logger.info('stopping', { module: 'node', reason: String((signal.reason as Error | undefined)?.message ?? 'signal') })
  await node.stop()
  stdout.write(`node stopped; address book saved to ${config.p2p.addrBookFile}\n`)
  return 0
}
