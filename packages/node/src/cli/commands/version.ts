import { NODE_VERSION } from '../../node/node-info.js'
import type { Command } from '../context.js'

/** `comet-p2p version`: prints this package's version. */
export const versionCommand: Command = async ({ stdout }) => {
  stdout.write(`${NODE_VERSION}\n`)
  return 0
}
