import type { ParsedFlags } from './args-spec.js'

/** A stream the command line writes to: `process.stdout` / `process.stderr` or a stand-in. */
export interface OutputStream {
  write(chunk: string): unknown
  /** True when it is a terminal (progress lines and tables are redrawn in place then). */
  readonly isTTY?: boolean | undefined
  /** Terminal width, when a terminal. */
  readonly columns?: number | undefined
}

/** What a command gets: its flags, where to write, the environment and a signal that fires on SIGINT / SIGTERM. */
export interface CommandContext {
  flags: ParsedFlags
  stdout: OutputStream
  stderr: OutputStream
  env: NodeJS.ProcessEnv
  /** Fires when the user asks the command to stop (Ctrl-C, SIGTERM). */
  signal: AbortSignal
}

/** A command: resolves with the exit code. */
export type Command = (ctx: CommandContext) => Promise<number>
