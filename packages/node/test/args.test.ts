import { describe, expect, it } from 'vitest'
import { UsageError, applyFlags, defaultNodeConfig, flagsToOverrides, formatHelp, parseArgs, validateNodeConfig } from '../src/index.js'
import { ID_A, ID_B } from './fixtures.js'

describe('parseArgs', () => {
  it('reads the command and flags in both forms, before or after the command', () => {
    const parsed = parseArgs(['--home', '/h', 'start', '--p2p.laddr=tcp://0.0.0.0:1', '--moniker', 'm', '--chain-id=c-1'])
    expect(parsed).toEqual({
      command: 'start',
      flags: { home: '/h', 'p2p.laddr': 'tcp://0.0.0.0:1', moniker: 'm', 'chain-id': 'c-1' },
      positionals: []
    })
  })

  it('takes a value that starts with a dash or is empty, and lets the last occurrence win', () => {
    expect(parseArgs(['start', '--moniker', '-odd-']).flags.moniker).toBe('-odd-')
    expect(parseArgs(['start', '--p2p.seeds=']).flags['p2p.seeds']).toBe('')
    expect(parseArgs(['start', '--moniker=a=b', '--moniker', 'c']).flags.moniker).toBe('c')
  })

  it('reads booleans as pflag does', () => {
    expect(parseArgs(['start', '--p2p.pex']).flags['p2p.pex']).toBe(true)
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) expect(parseArgs(['start', `--p2p.pex=${t}`]).flags['p2p.pex']).toBe(true)
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) expect(parseArgs(['start', `--p2p.seed_mode=${f}`]).flags['p2p.seed_mode']).toBe(false)
    expect(() => parseArgs(['start', '--p2p.pex=yes'])).toThrow(/invalid argument "yes" for "--p2p.pex" flag: expected true or false/)
    expect(() => parseArgs(['start', '--p2p.pex='])).toThrow(/invalid argument ""/)
  })

  it('never takes the next word as a boolean value', () => {
    expect(() => parseArgs(['start', '--p2p.pex', 'false'])).toThrow(
      /unexpected argument "false" \(boolean flags take a value only as --p2p.pex=false\)/
    )
    expect(() => parseArgs(['--p2p.pex', 'false', 'start'])).toThrow(/unknown command "false" .*--p2p.pex=false/)
  })

  it('reads integers and durations', () => {
    const parsed = parseArgs(['crawl', '--seeds', `${ID_A}@1.2.3.4:26656`, '--max-nodes', '500', '--timeout=1m30s', '--out', 'nodes.json'])
    expect(parsed.flags).toEqual({ seeds: `${ID_A}@1.2.3.4:26656`, 'max-nodes': 500, timeout: 90_000, out: 'nodes.json' })
    expect(() => parseArgs(['crawl', '--max-nodes', 'lots'])).toThrow(/invalid argument "lots" for "--max-nodes" flag: expected an integer/)
    expect(parseArgs(['crawl', '--timeout', '30']).flags.timeout).toBe(30_000)
    expect(parseArgs(['demo', '--duration=2.5']).flags.duration).toBe(2_500)
    expect(() => parseArgs(['crawl', '--timeout', 'soon'])).toThrow(/invalid argument "soon" for "--timeout" flag: expected seconds or a duration/)
  })

  it('handles --, -h and no command', () => {
    expect(parseArgs([])).toEqual({ command: undefined, flags: {}, positionals: [] })
    expect(parseArgs(['-h']).flags.help).toBe(true)
    expect(parseArgs(['start', '--help']).flags.help).toBe(true)
    expect(parseArgs(['help', 'crawl'])).toMatchObject({ command: 'help', positionals: ['crawl'] })
    expect(parseArgs(['--', 'help'])).toMatchObject({ command: 'help' })
    expect(() => parseArgs(['start', '--', '--moniker'])).toThrow(/unexpected argument "--moniker"/)
  })

  const errors: [string[], RegExp, string | undefined][] = [
    [['start', '--nope'], /unknown flag: --nope$/, 'nope'],
    [['start', '--log-level', 'info'], /unknown flag: --log-level \(did you mean --log_level\?\)/, 'log-level'],
    [['start', '--p2p.external_address=x:1'], /did you mean --p2p.external-address\?/, 'p2p.external_address'],
    [['start', '--chain_id', 'x'], /did you mean --chain-id\?/, 'chain_id'],
    [['start', '--moniker'], /flag needs an argument: --moniker/, 'moniker'],
    [['start', '--seeds', 'x'], /unknown flag: --seeds \(not a flag of "start"\)/, 'seeds'],
    [['crawl', '--p2p.pex'], /not a flag of "crawl"/, 'p2p.pex'],
    [['show-node-id', '--moniker=x'], /not a flag of "show-node-id"/, 'moniker'],
    [['stat'], /unknown command "stat" for "comet-p2p"/, undefined],
    [['start', 'extra'], /unexpected argument "extra"/, undefined],
    [['help', 'nothing'], /unknown help topic "nothing"/, undefined],
    [['start', '-x'], /unknown shorthand flag: "x" in -x/, '-x'],
    [['start', '---moniker'], /bad flag syntax: ---moniker/, undefined],
    [['start', '--=x'], /bad flag syntax/, undefined]
  ]
  it.each(errors)('%j is a UsageError', (argv, message, flag) => {
    try {
      parseArgs(argv)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError)
      expect((err as UsageError).code).toBe('ERR_USAGE')
      expect((err as UsageError).message).toMatch(message)
      expect((err as UsageError).flag).toBe(flag)
    }
  })
})

describe('applyFlags', () => {
  it('maps node flags onto the configuration', () => {
    const { flags } = parseArgs([
      'start',
      '--chain-id=c',
      '--moniker=m',
      '--log_level=p2p:debug',
      '--log_format=json',
      '--p2p.laddr=tcp://127.0.0.1:5',
      '--p2p.external-address=1.2.3.4:5',
      `--p2p.seeds=${ID_A}@a.example:1, ${ID_B}@b.example:2`,
      `--p2p.persistent_peers=${ID_B}@10.0.0.1:26656`,
      `--p2p.unconditional_peer_ids=${ID_A}`,
      `--p2p.private_peer_ids=${ID_A},${ID_B}`,
      '--p2p.pex=false',
      '--p2p.seed_mode',
      '--metrics.laddr=127.0.0.1:0'
    ])
    const base = defaultNodeConfig('/h')
    const cfg = applyFlags(base, flags)
    expect(cfg).toMatchObject({ chainId: 'c', moniker: 'm', logLevel: 'p2p:debug', logFormat: 'json', home: '/h' })
    expect(cfg.p2p).toMatchObject({
      laddr: 'tcp://127.0.0.1:5',
      externalAddress: '1.2.3.4:5',
      seeds: [`${ID_A}@a.example:1`, `${ID_B}@b.example:2`],
      persistentPeers: [`${ID_B}@10.0.0.1:26656`],
      unconditionalPeerIds: [ID_A],
      privatePeerIds: [ID_A, ID_B],
      pex: false,
      seedMode: true
    })
    expect(cfg.instrumentation).toMatchObject({ prometheus: true, prometheusListenAddr: '127.0.0.1:0' })
    expect(() => validateNodeConfig(cfg)).not.toThrow()
    expect(base.p2p.pex).toBe(true)
  })

  it('leaves unset values alone', () => {
    const base = defaultNodeConfig('/h')
    expect(applyFlags(base, parseArgs(['start', '--home', '/x']).flags)).toEqual(base)
  })

  it('checks --log_format', () => {
    expect(() => flagsToOverrides({ log_format: 'xml' })).toThrow(UsageError)
  })
})

describe('formatHelp', () => {
  it('lists commands and flags', () => {
    expect(formatHelp()).toMatch(/Usage: comet-p2p <command> \[flags\][\s\S]*crawl[\s\S]*--home DIR/)
    expect(formatHelp('start')).toMatch(/--p2p\.persistent_peers LIST/)
    expect(formatHelp('crawl')).toMatch(/--max-nodes N/)
  })
})
