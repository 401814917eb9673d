import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built command line; the `test` task builds the package first. */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js')

/** An environment that keeps the CLI away from the real home directory. */
export function cliEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1' }
  delete env.COMET_P2P_HOME
  return env
}

/** A running `comet-p2p` process with its output so far. */
export interface CliProcess {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves with the first match of `pattern` in stdout (or stderr with `fromStderr`). */
  waitFor(pattern: RegExp, timeoutMs?: number, fromStderr?: boolean): Promise<RegExpMatchArray>
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>
}

/** Starts `node dist/cli.js ...args`. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv): CliProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm build" first`)
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  const exited = new Promise<number | string>((resolve) => child.once('close', (code, signal) => resolve(code ?? signal ?? -1)))
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(pattern, timeoutMs = 15_000, fromStderr = false) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const match = (fromStderr ? err : out).match(pattern)
        if (match !== null) return match
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`no ${pattern} in the output (exit ${child.exitCode}):\n${out}\n${err}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  }
}

/** Runs the CLI to completion. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const proc = spawnCli(args, env)
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs)
  const code = await proc.exited
  clearTimeout(timer)
  return { code, stdout: proc.stdout(), stderr: proc.stderr() }
}
