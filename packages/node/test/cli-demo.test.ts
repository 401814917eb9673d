import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliEnv, runCli } from './cli-helpers.js'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'comet-p2p-demo-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('comet-p2p demo', () => {
  it('runs a seed and nodes that find each other and chat, then stops by itself with a summary', async () => {
    const result = await runCli(['demo', '--duration', '3', '--nodes', '3'], cliEnv(dir), 20_000)
    expect(result.code).toBe(0)
    const out = result.stdout
    expect(out).toMatch(/^Starting a seed and 3 nodes on 127\.0\.0\.1 for 3 s/)
    // Not a terminal: plain snapshots, no escape sequences.
    expect(out).not.toContain('\x1b[')
    expect(out).toMatch(/^node\s+ID\s+address\s+peers out\/in\s+known\s+chat sent\s+chat recv\s+wire out\s+wire in\s+last heard$/m)
    for (const name of ['seed', 'alice', 'bob', 'carol']) expect(out).toMatch(new RegExp(`^${name}\\s+[0-9a-f]{8}\\s+`, 'm'))
    const summary = /Demo finished: 4 nodes \(a seed and 3 nodes\), (\d+) connections at the end \((\d+) at most\),\n(\d+) chat messages sent and (\d+) received/.exec(out)
    expect(summary).not.toBeNull()
    const [, connections, , sent, received] = summary!.map(Number)
    expect(connections).toBeGreaterThanOrEqual(3)
    expect(sent).toBeGreaterThan(0)
    expect(received).toBeGreaterThan(0)
    expect(out).toMatch(/Every node has stopped\.\n$/)
    expect(result.stderr).toBe('')
  }, 25_000)
})
