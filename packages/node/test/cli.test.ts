import { createServer, type Server } from 'node:net'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AddrBook } from '@comet-p2p/addrbook'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNode, type P2PNode } from '../src/index.js'
import { cliEnv, runCli, spawnCli } from './cli-helpers.js'
import { localOptions, waitFor } from './helpers.js'

let dir: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'comet-p2p-cli-'))
  env = cliEnv(dir)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** An error as the CLI must report it: one line on stderr, no stack trace, a non-zero exit. */
function expectOneLineError(result: { code: number | string; stderr: string }, message: RegExp, code = 1): void {
  expect(result.code).toBe(code)
  const lines = result.stderr.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^Error: /)
  expect(lines[0]).toMatch(message)
  expect(result.stderr).not.toMatch(/\n\s+at /)
}

describe('comet-p2p init / show-node-id', () => {
  it('round-trips the node ID and refuses to replace a key', async () => {
    const home = join(dir, 'init')
    const init = await runCli(['init', '--home', home, '--chain-id', 'cli-chain', '--moniker', 'cli-node'], env)
    expect(init.code).toBe(0)
    const id = /node ID\s+([0-9a-f]{40})/.exec(init.stdout)?.[1]
    expect(id).toBeDefined()
    expect(init.stdout).toContain('cli-chain')
    expect(await readFile(join(home, 'config', 'config.toml'), 'utf8')).toMatch(/^moniker = "cli-node"$/m)
    expect(JSON.parse(await readFile(join(home, 'config', 'genesis.json'), 'utf8'))).toMatchObject({ chain_id: 'cli-chain' })

    const show = await runCli(['show-node-id', '--home', home], env)
    expect(show).toMatchObject({ code: 0, stdout: `${id}\n`, stderr: '' })

    expectOneLineError(await runCli(['init', '--home', home], env), /node key .*node_key\.json already exists/)
    const again = await runCli(['show-node-id', `--home=${home}`], env)
    expect(again.stdout).toBe(`${id}\n`)
  })
})

describe('comet-p2p start', () => {
  it('runs with flags until SIGTERM, then stops gracefully and saves the address book', async () => {
    const home = join(dir, 'start')
    expect((await runCli(['init', '--home', home, '--chain-id', 'cli-chain'], env)).code).toBe(0)
    // A private test network: loopback addresses belong in the book.
    const configFile = join(home, 'config', 'config.toml')
    await writeFile(configFile, (await readFile(configFile, 'utf8')).replace('addr_book_strict = true', 'addr_book_strict = false'))
    const proc = spawnCli(
      [
        'start',
        '--home',
        home,
        '--p2p.laddr',
        'tcp://127.0.0.1:0',
        '--p2p.pex=true',
        '--moniker',
        'from-flags',
        '--log_level',
        'info',
        '--log_format',
        'json',
        '--metrics.laddr',
        '127.0.0.1:0'
      ],
      env
    )
    let visitor: P2PNode | undefined
    try {
      const [, address, metricsUrl] = await proc.waitFor(/node (\S+@127\.0\.0\.1:\d+) started on chain cli-chain, metrics at (\S+);/)
      // Reference PEX periods: asking more often than every 10 s would get the visitor banned.
      visitor = createNode(localOptions('visitor', { chainId: 'cli-chain', p2p: { persistentPeers: [address!] }, pex: { ensurePeersPeriodMs: 30_000 } }))
      await visitor.start()
      await waitFor(() => visitor!.peers().length === 1, 'the visitor to connect')
      const peer = visitor.peers()[0]!
      expect(peer.nodeInfo).toMatchObject({ moniker: 'from-flags', network: 'cli-chain' })
      const metrics = await (await fetch(metricsUrl!)).text()
      expect(metrics).toMatch(/^cometbft_p2p_peers 1$/m)
      // JSON log lines on stderr.
      const lines = proc.stderr().trim().split('\n')
      expect(lines.map((line) => (JSON.parse(line) as { _msg: string })._msg)).toContain('node started')
      const visitorAddr = visitor.netAddress()
      proc.child.kill('SIGTERM')
      expect(await proc.exited).toBe(0)
      expect(proc.stdout()).toMatch(/node stopped; address book saved to .*addrbook\.json/)
      const book = new AddrBook({ filePath: join(home, 'config', 'addrbook.json'), routabilityStrict: false })
      await book.start()
      expect(book.hasAddress(visitorAddr), await readFile(join(home, 'config', 'addrbook.json'), 'utf8') + proc.stderr()).toBe(true)
      await book.stop()
    } finally {
      proc.child.kill('SIGKILL')
      await visitor?.stop()
    }
  })
})

describe('user errors', () => {
  let blocker: Server
  let home: string

  beforeAll(async () => {
    home = join(dir, 'errors')
    expect((await runCli(['init', '--home', home, '--chain-id', 'err-chain'], env)).code).toBe(0)
    blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => blocker.close(() => resolve()))
  })

  it('print one line and exit non-zero, without a stack trace', async () => {
    const port = (blocker.address() as { port: number }).port
    const corrupt = join(dir, 'corrupt')
    await mkdir(join(corrupt, 'config'), { recursive: true })
    await writeFile(join(corrupt, 'config', 'node_key.json'), '{"priv_key": {"type": "tendermint/PrivKeyEd25519", "value": "bm9wZQ=="}}')
    const badToml = join(dir, 'bad-toml')
    await mkdir(join(badToml, 'config'), { recursive: true })
    await writeFile(join(badToml, 'config', 'config.toml'), '[p2p\nladdr = 1\n')
    const cases: [string[], RegExp, number][] = [
      [['start', '--nope'], /unknown flag: --nope/, 2],
      [['start', '--home', home, '--p2p.laddr', 'localhost'], /p2p\.laddr must be tcp:\/\/host:port/, 1],
      [['start', '--home', home, '--p2p.seeds', 'not-an-address'], /p2p\.seeds has an invalid address/, 1],
      [['start', '--home', home, '--p2p.laddr', `tcp://127.0.0.1:${port}`], /cannot listen on tcp:\/\/127\.0\.0\.1:\d+: the address is already in use/, 1],
      [['start', '--home', join(dir, 'nothing-here')], /node key .*node_key\.json does not exist/, 1],
      [['show-node-id', '--home', corrupt], /node_key\.json/, 1],
      [['start', '--home', badToml], /config\.toml: invalid TOML at line 1/, 1],
      [['crawl', '--seeds', 'nonsense'], /invalid seed "nonsense"/, 2],
      [['demo', '--duration', 'soon'], /invalid argument "soon" for "--duration" flag/, 2]
    ]
    const results = await Promise.all(cases.map(([args]) => runCli(args, env)))
    results.forEach((result, i) => expectOneLineError(result, cases[i]![1], cases[i]![2]))
  })

  it('show the stack trace with --log_level debug', async () => {
    const result = await runCli(['start', '--home', join(dir, 'nothing-here'), '--log_level', 'debug'], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^Error: node key .* does not exist/)
    expect(result.stderr).toMatch(/\n\s+at /)
  })
})
