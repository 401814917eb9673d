import { loadHome } from '../../home/load.js'
import { resolveHome } from '../../home/paths.js'
import type { Command } from '../context.js'

/** `comet-p2p show-node-id [--home DIR]`: prints the ID of the home's node key. */
export const showNodeIdCommand: Command = async ({ flags, stdout, env }) => {
  const { nodeKey } = await loadHome(resolveHome(flags.home, env))
  stdout.write(`${nodeKey.id}\n`)
  return 0
}
