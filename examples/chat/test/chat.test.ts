import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..')

interface Chatter {
  child: ChildProcessWithoutNullStreams
  output(): string
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>
  exited: Promise<number | null>
}

const running: Chatter[] = []

/** Starts `src/main.ts` with tsx, as `pnpm start` does. */
function chatter(args: string[]): Chatter {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: exampleDir })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)))
  const c: Chatter = {
    child,
    output: () => out,
    exited,
    async waitFor(pattern) {
      const deadline = Date.now() + 20_000
      for (;;) {
        const match = out.match(pattern)
        if (match !== null) return match
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} in:\n${out}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  }
  running.push(c)
  return c
}

afterEach(() => {
  for (const c of running.splice(0)) c.child.kill('SIGKILL')
})

describe('chat example', () => {
  it('two instances on 127.0.0.1 chat through stdin and stdout', async () => {
    const home = await mkdtemp(join(tmpdir(), 'chat-home-'))
    try {
      // Alice keeps her identity in a home; Bob lives in memory.
      const alice = chatter(['--', '--home', home, '--moniker', 'alice'])
      const [, address] = await alice.waitFor(/listening on ([0-9a-f]{40}@127\.0\.0\.1:\d+) as alice/)
      const bob = chatter(['--moniker', 'bob', '--peer', address!])
      await bob.waitFor(/\* alice joined/)
      await alice.waitFor(/\* bob joined/)

      bob.child.stdin.write('hello alice\n')
      await alice.waitFor(/^bob: hello alice$/m)
      alice.child.stdin.write('hi bob, nice to see you\n')
      await bob.waitFor(/^alice: hi bob, nice to see you$/m)

      bob.child.stdin.end()
      expect(await bob.exited).toBe(0)
      await alice.waitFor(/\* bob left/)
      alice.child.stdin.end()
      expect(await alice.exited).toBe(0)
      expect(bob.output()).toMatch(/\* bye/)

      // Alice comes back with the same ID.
      const again = chatter(['--home', home, '--moniker', 'alice'])
      const [, second] = await again.waitFor(/listening on ([0-9a-f]{40})@/)
      expect(second).toBe(address!.split('@')[0])
      again.child.stdin.end()
      expect(await again.exited).toBe(0)
    } finally {
      await rm(home, { recursive: true, force: true })
    }
  })
})
