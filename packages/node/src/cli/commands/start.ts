import { ConfigError } from '../../config/errors.js'
import { loadHome } from '../../home/load.js'
import { resolveHome } from '../../home/paths.js'
import { createLogger } from '../../logging/logger.js'
import { createNode } from '../../node/create.js'
import { flagsToOverrides } from '../args-apply.js'
import type { Command, OutputStream } from '../context.js'

/**
 * Holds log lines back while the node starts: if the start fails, the user
 * sees only the one-line error (the held lines are printed first at
 * `--log_level debug`); once it runs, they are written and the rest passes.
 */
class HeldLines {
  readonly #target: OutputStream
  #held: string[] | undefined = []

  constructor(target: OutputStream) {
    this.#target = target
  }

  write(chunk: string): void {
    if (this.#held === undefined) this.#target.write(chunk)
    else this.#held.push(chunk)
  }

  /** Writes what was held; from now on lines pass straight through. */
  release(): void {
    const held = this.#held ?? []
    this.#held = undefined
    for (const line of held) this.#target.write(line)
  }

  /** Forgets what was held; from now on lines pass straight through. */
  discard(): void {
    this.#held = undefined
  }
}

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
  const held = new HeldLines(stderr)
  const logger = createLogger({ level: config.logLevel, format: config.logFormat, stream: held })
  const node = createNode({ ...config, nodeKey: loaded.nodeKey, logger })
  try {
    await node.start()
  } catch (err) {
    if (/debug/.test(config.logLevel)) held.release()
    else held.discard()
    throw err
  }
  held.release()
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
