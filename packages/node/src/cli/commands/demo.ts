import { formatSummary, runDemo } from '../../demo/demo.js'
import { createLogger } from '../../logging/logger.js'
import { UsageError } from '../args-errors.js'
import type { Command } from '../context.js'

/**
 * `comet-p2p demo [--duration S] [--nodes N]`: a seed and N nodes (default
 * 8) on 127.0.0.1 find each other and chat for S seconds (default 20), with
 * a live table; then everything stops and a summary is printed. Node logs
 * go to stderr only with `--log_level`.
 */
export const demoCommand: Command = async ({ flags, stdout, stderr, signal }) => {
  const nodes = flags.nodes ?? 8
  if (nodes < 1 || nodes > 50) throw new UsageError(`invalid argument "${nodes}" for "--nodes" flag: expected 1 to 50`, { flag: 'nodes' })
  const durationMs = flags.duration ?? 20_000
  if (durationMs <= 0) throw new UsageError('invalid argument for "--duration" flag: expected a positive duration', { flag: 'duration' })
  const logger =
    flags.log_level === undefined ? undefined : createLogger({ level: flags.log_level, format: flags.log_format === 'json' ? 'json' : 'plain', stream: stderr })
  const summary = await runDemo({ out: stdout, nodes, durationMs, logger, signal })
  stdout.write(`${stdout.isTTY === true ? '\n' : ''}${formatSummary(summary)}\n`)
  return 0
}
