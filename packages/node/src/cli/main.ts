/**
 * The `comet-p2p` command line: parses the arguments, runs one command, and
 * turns every error into one line on stderr (with the stack only at
 * `--log_level debug`) and a non-zero exit code.
 */
import { parseLogLevel } from '../logging/level.js'
import { parseArgs, type ParsedArgs } from './args.js'
import { UsageError, formatUserError } from './args-errors.js'
import { formatHelp, type CommandName } from './args-spec.js'
import { crawlCommand } from './commands/crawl.js'
import { demoCommand } from './commands/demo.js'
import { initCommand } from './commands/init.js'
import { showNodeIdCommand } from './commands/show-node-id.js'
import { startCommand } from './commands/start.js'
import { versionCommand } from './commands/version.js'
import type { Command, CommandContext, OutputStream } from './context.js'

const COMMANDS: Readonly<Record<Exclude<CommandName, 'help'>, Command>> = {
  init: initCommand,
  'show-node-id': showNodeIdCommand,
  start: startCommand,
  crawl: crawlCommand,
  demo: demoCommand,
  version: versionCommand
}

/** Exit code of a command line that cannot be understood. */
export const EXIT_USAGE = 2
/** Exit code of a command that failed. */
export const EXIT_FAILURE = 1

/** Whether a `--log_level` value asks for debug output (for any module). */
function wantsDebug(level: string | undefined): boolean {
  if (level === undefined) return false
  try {
    const filter = parseLogLevel(level)
    return filter.default === 'debug' || [...filter.modules.values()].includes('debug')
  } catch {
    return /(^|[:,])\s*debug\s*(,|$)/.test(level)
  }
}

/** `--log_level` from raw arguments, for errors found before parsing succeeded. */
function rawLogLevel(argv: readonly string[]): string | undefined {
  let found: string | undefined
  argv.forEach((arg, i) => {
    if (arg === '--log_level') found = argv[i + 1]
    else if (arg.startsWith('--log_level=')) found = arg.slice('--log_level='.length)
  })
  return found
}

function stackOf(err: unknown): string {
  const lines: string[] = []
  let current: unknown = err
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    lines.push(current instanceof Error ? (current.stack ?? current.message) : formatUserError(current))
    current = current instanceof Error ? current.cause : undefined
    if (current !== undefined) lines.push('caused by:')
  }
  return `${lines.join('\n')}\n`
}

/** Writes the one-line error (and at debug level the stack) and returns the exit code. */
export function reportError(err: unknown, stderr: OutputStream, debug: boolean): number {
  stderr.write(`Error: ${formatUserError(err)}\n`)
  if (debug) stderr.write(stackOf(err))
  return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE
}

/** Runs the command line `argv` (without `node` and the script) and resolves with the exit code. */
export async function main(argv: readonly string[], io: Omit<CommandContext, 'flags'>): Promise<number> {
  let parsed: ParsedArgs
  try {
    parsed = parseArgs(argv)
  } catch (err) {
    return reportError(err, io.stderr, wantsDebug(rawLogLevel(argv)))
  }
  const { command, flags, positionals } = parsed
  if (command === undefined || command === 'help' || flags.help === true) {
    const topic = command === 'help' ? (positionals[0] as CommandName | undefined) : command
    io.stdout.write(formatHelp(topic === 'help' ? undefined : topic))
    return 0
  }
  try {
    return await COMMANDS[command]({ ...io, flags })
  } catch (err) {
    return reportError(err, io.stderr, wantsDebug(flags.log_level))
  }
}

/**
 * The process entry point: runs {@link main} with the process's streams,
 * turns SIGINT / SIGTERM into the commands' stop signal (a second signal
 * exits at once), and sets the exit code. Should anything stay open after
 * the command finished, the process exits anyway after a second.
 */
export function runCli(argv: readonly string[]): void {
  const controller = new AbortController()
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130)
    controller.abort(new Error(`received ${signal}`))
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const done = (code: number): void => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    process.exitCode = code
    setTimeout(() => process.exit(code), 1_000).unref()
  }
  main(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then(done, (err: unknown) =>
    done(reportError(err, process.stderr, true))
  )
}
