import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  defaultInstrumentationConfig,
  defaultNodeConfig,
  defaultP2PNodeConfig,
  mergeNodeConfig,
  parseListenAddress,
  splitList,
  validateNodeConfig,
  type NodeConfig
} from '../src/index.js'
import { ID_A, ID_B } from './fixtures.js'

describe('defaults', () => {
  it('are the reference values (DefaultP2PConfig, DefaultInstrumentationConfig, DefaultBaseConfig of v0.34.27 and v0.38.1)', () => {
    expect(defaultP2PNodeConfig()).toEqual({
      laddr: 'tcp://0.0.0.0:26656',
      externalAddress: '',
      seeds: [],
      persistentPeers: [],
      addrBookFile: 'config/addrbook.json',
      addrBookStrict: true,
      maxNumInboundPeers: 40,
      maxNumOutboundPeers: 10,
      unconditionalPeerIds: [],
      persistentPeersMaxDialPeriodMs: 0,
      flushThrottleTimeoutMs: 100,
      maxPacketMsgPayloadSize: 1024,
      sendRate: 5_120_000,
      recvRate: 5_120_000,
      pex: true,
      seedMode: false,
      privatePeerIds: [],
      allowDuplicateIp: false,
      handshakeTimeoutMs: 20_000,
      dialTimeoutMs: 3_000
    })
    expect(defaultInstrumentationConfig()).toEqual({
      prometheus: false,
      prometheusListenAddr: ':26660',
      maxOpenConnections: 3,
      namespace: 'cometbft'
    })
    const config = defaultNodeConfig('/h')
    expect(config).toMatchObject({
      home: '/h',
      logLevel: 'info',
      logFormat: 'plain',
      genesisFile: 'config/genesis.json',
      nodeKeyFile: 'config/node_key.json'
    })
    expect(config.chainId).toBeUndefined()
    expect(config.moniker.length).toBeGreaterThan(0)
    expect(() => validateNodeConfig(config)).not.toThrow()
  })

  it('are fresh objects every time', () => {
    const a = defaultP2PNodeConfig()
    a.seeds.push('x')
    expect(defaultP2PNodeConfig().seeds).toEqual([])
  })
})

describe('mergeNodeConfig', () => {
  it('applies defined values only and copies lists', () => {
    const base = defaultNodeConfig('/h')
    const merged = mergeNodeConfig(base, { moniker: 'm', chainId: undefined, p2p: { pex: false, seeds: undefined } })
    expect(merged.moniker).toBe('m')
    expect(merged.p2p.pex).toBe(false)
    expect(merged.p2p.seeds).toEqual([])
    expect(merged.p2p.seeds).not.toBe(base.p2p.seeds)
    expect(base.p2p.pex).toBe(true)
  })
})

function withValue(change: (cfg: NodeConfig) => void): NodeConfig {
  const cfg = defaultNodeConfig('/h')
  cfg.moniker = 'node'
  change(cfg)
  return cfg
}

function errorOf(change: (cfg: NodeConfig) => void): ConfigError {
  try {
    validateNodeConfig(withValue(change))
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return err as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('validateNodeConfig', () => {
  const cases: [string, (cfg: NodeConfig) => void, RegExp][] = [
    ['moniker', (c) => (c.moniker = ''), /moniker must be printable ASCII/],
    ['moniker', (c) => (c.moniker = '   '), /not blank/],
    ['moniker', (c) => (c.moniker = 'nœud'), /printable ASCII/],
    ['log_level', (c) => (c.logLevel = 'loud'), /log_level is invalid: .*unknown level "loud"/],
    ['log_level', (c) => (c.logLevel = 'p2p:debug:x'), /log_level is invalid/],
    ['log_format', (c) => (c.logFormat = 'xml' as 'json'), /log_format must be "plain" or "json"/],
    ['chain_id', (c) => (c.chainId = ''), /chain_id must not be empty/],
    ['chain_id', (c) => (c.chainId = 'x'.repeat(51)), /chain_id is 51 bytes long, at most 50/],
    ['genesis_file', (c) => (c.genesisFile = ''), /genesis_file must be a file path/],
    ['node_key_file', (c) => (c.nodeKeyFile = ''), /node_key_file must be a file path/],
    ['p2p.laddr', (c) => (c.p2p.laddr = 'tcp://0.0.0.0'), /p2p.laddr must be tcp:\/\/host:port: missing port/],
    ['p2p.laddr', (c) => (c.p2p.laddr = 'unix:///tmp/sock'), /unsupported scheme "unix"/],
    ['p2p.laddr', (c) => (c.p2p.laddr = 'tcp://0.0.0.0:70000'), /invalid port "70000"/],
    ['p2p.laddr', (c) => (c.p2p.laddr = 'tcp://:26656'), /no host/],
    ['p2p.external_address', (c) => (c.p2p.externalAddress = 'bad host:1'), /p2p.external_address must be empty or host:port/],
    ['p2p.seeds', (c) => (c.p2p.seeds = [`${ID_A}@1.2.3.4:26656`, '1.2.3.4:26656']), /p2p.seeds has an invalid address "1.2.3.4:26656": expected id@host:port/],
    ['p2p.seeds', (c) => (c.p2p.seeds = ['abc@1.2.3.4:1']), /node ID "abc" must be 40 hex characters/],
    ['p2p.persistent_peers', (c) => (c.p2p.persistentPeers = [`${ID_A}@1.2.3.4`]), /p2p.persistent_peers .* missing port/],
    ['p2p.persistent_peers', (c) => (c.p2p.persistentPeers = [`${ID_A}@::1:26656`]), /too many colons/],
    ['p2p.unconditional_peer_ids', (c) => (c.p2p.unconditionalPeerIds = ['zz']), /p2p.unconditional_peer_ids has an invalid entry: node ID "zz" is not hexadecimal/],
    ['p2p.private_peer_ids', (c) => (c.p2p.privatePeerIds = [`${ID_A}0`]), /p2p.private_peer_ids .* got 41/],
    ['p2p.addr_book_file', (c) => (c.p2p.addrBookFile = ''), /p2p.addr_book_file must be a file path/],
    ['p2p.max_num_inbound_peers', (c) => (c.p2p.maxNumInboundPeers = -1), /p2p.max_num_inbound_peers must be a non-negative integer, got -1/],
    ['p2p.max_num_outbound_peers', (c) => (c.p2p.maxNumOutboundPeers = 1.5), /p2p.max_num_outbound_peers must be a non-negative integer, got 1.5/],
    ['p2p.flush_throttle_timeout', (c) => (c.p2p.flushThrottleTimeoutMs = -1), /p2p.flush_throttle_timeout must be a non-negative duration/],
    ['p2p.persistent_peers_max_dial_period', (c) => (c.p2p.persistentPeersMaxDialPeriodMs = Number.NaN), /non-negative duration/],
    ['p2p.max_packet_msg_payload_size', (c) => (c.p2p.maxPacketMsgPayloadSize = 0), /must be a positive integer, got 0/],
    ['p2p.send_rate', (c) => (c.p2p.sendRate = -5), /p2p.send_rate must be a non-negative integer/],
    ['p2p.recv_rate', (c) => (c.p2p.recvRate = Number.POSITIVE_INFINITY), /p2p.recv_rate must be a non-negative integer/],
    ['p2p.handshake_timeout', (c) => (c.p2p.handshakeTimeoutMs = -20), /p2p.handshake_timeout must be a non-negative duration/],
    ['p2p.dial_timeout', (c) => (c.p2p.dialTimeoutMs = -3), /p2p.dial_timeout must be a non-negative duration/],
    ['instrumentation.max_open_connections', (c) => (c.instrumentation.maxOpenConnections = -1), /non-negative integer/],
    [
      'instrumentation.prometheus_listen_addr',
      (c) => Object.assign(c.instrumentation, { prometheus: true, prometheusListenAddr: '26660' }),
      /prometheus_listen_addr must be host:port or :port: missing port/
    ],
    [
      'instrumentation.namespace',
      (c) => Object.assign(c.instrumentation, { prometheus: true, namespace: 'my-chain' }),
      /instrumentation.namespace must be empty or a metric name prefix/
    ]
  ]

  it.each(cases)('rejects a bad %s', (key, change, message) => {
    const err = errorOf(change)
    expect(err.key).toBe(key)
    expect(err.code).toBe('ERR_CONFIG')
    expect(ConfigError.code).toBe('ERR_CONFIG')
    expect(err.message).toMatch(message)
    expect(err.message).not.toContain('\n')
  })

  it('accepts host names, IPv6, schemes, uppercase IDs and zero limits', () => {
    const cfg = withValue((c) => {
      c.chainId = 'cosmoshub-4'
      c.p2p.laddr = 'tcp://[::]:26656'
      c.p2p.externalAddress = 'node.example.org:26656'
      c.p2p.seeds = [`${ID_A}@seed.example.org:26656`, `tcp://${ID_B.toUpperCase()}@[2001:db8::2]:0`]
      c.p2p.persistentPeers = [`${ID_B}@localhost:26656`]
      c.p2p.maxNumInboundPeers = 0
      c.p2p.sendRate = 0
      c.instrumentation.prometheus = true
      c.instrumentation.prometheusListenAddr = '127.0.0.1:0'
      c.instrumentation.namespace = ''
    })
    expect(() => validateNodeConfig(cfg)).not.toThrow()
  })

  it('ignores the metrics endpoint settings while metrics are off, as CometBFT does', () => {
    expect(() => validateNodeConfig(withValue((c) => (c.instrumentation.prometheusListenAddr = 'garbage')))).not.toThrow()
  })
})

describe('address helpers', () => {
  it('splitList trims and drops empty items like splitAndTrimEmpty', () => {
    expect(splitList('')).toEqual([])
    expect(splitList(' a, ,b ,')).toEqual(['a', 'b'])
  })

  it('parseListenAddress', () => {
    expect(parseListenAddress('tcp://0.0.0.0:26656')).toEqual({ host: '0.0.0.0', port: 26656 })
    expect(parseListenAddress('[::1]:9')).toEqual({ host: '::1', port: 9 })
    expect(parseListenAddress(':26660')).toEqual({ host: '', port: 26660 })
    expect(() => parseListenAddress('http://x:1')).toThrow(/invalid listen address "http:\/\/x:1": unsupported scheme/)
  })
})
