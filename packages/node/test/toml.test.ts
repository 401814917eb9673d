import { parse } from 'smol-toml'
import { describe, expect, it } from 'vitest'
import { ConfigError, defaultNodeConfig, formatConfigToml, parseConfigToml, validateNodeConfig, type NodeConfig } from '../src/index.js'
import { CONFIG_V034, CONFIG_V038, ID_A, ID_B, ID_C } from './fixtures.js'

function sample(): NodeConfig {
  const cfg = defaultNodeConfig('/home/n')
  cfg.moniker = 'my "quoted" node \\ tab\tend'
  cfg.logLevel = 'p2p:debug,*:error'
  cfg.logFormat = 'json'
  cfg.genesisFile = '/etc/genesis.json'
  Object.assign(cfg.p2p, {
    laddr: 'tcp://127.0.0.1:0',
    externalAddress: 'node.example.org:26656',
    seeds: [`${ID_A}@seed.example.org:26656`, `${ID_B}@1.2.3.4:26656`],
    persistentPeers: [`${ID_C}@[2001:db8::1]:26656`],
    addrBookFile: 'data/book.json',
    addrBookStrict: false,
    maxNumInboundPeers: 0,
    maxNumOutboundPeers: 99,
    unconditionalPeerIds: [ID_C],
    persistentPeersMaxDialPeriodMs: 90_000,
    flushThrottleTimeoutMs: 0.0015,
    maxPacketMsgPayloadSize: 4096,
    sendRate: 9_007_199_254_740_991,
    recvRate: 1,
    pex: false,
    seedMode: true,
    privatePeerIds: [ID_A, ID_B],
    allowDuplicateIp: true,
    handshakeTimeoutMs: 3_723_500,
    dialTimeoutMs: 0
  })
  Object.assign(cfg.instrumentation, { prometheus: true, prometheusListenAddr: '127.0.0.1:26660', maxOpenConnections: 0, namespace: 'x' })
  return cfg
}

describe('formatConfigToml / parseConfigToml', () => {
  it('round-trips every value', () => {
    const cfg = sample()
    expect(parseConfigToml(formatConfigToml(cfg), { home: '/home/n' })).toEqual(cfg)
    const defaults = defaultNodeConfig('/h')
    expect(parseConfigToml(formatConfigToml(defaults), { home: '/h' })).toEqual(defaults)
  })

  it('writes the reference key names, sections, TOML types and Go durations', () => {
    const doc = parse(formatConfigToml(sample()))
    expect(doc).toMatchObject({
      moniker: 'my "quoted" node \\ tab\tend',
      log_level: 'p2p:debug,*:error',
      log_format: 'json',
      genesis_file: '/etc/genesis.json',
      node_key_file: 'config/node_key.json',
      p2p: {
        laddr: 'tcp://127.0.0.1:0',
        external_address: 'node.example.org:26656',
        seeds: `${ID_A}@seed.example.org:26656,${ID_B}@1.2.3.4:26656`,
        persistent_peers: `${ID_C}@[2001:db8::1]:26656`,
        addr_book_file: 'data/book.json',
        addr_book_strict: false,
        max_num_inbound_peers: 0,
        max_num_outbound_peers: 99,
        unconditional_peer_ids: ID_C,
        persistent_peers_max_dial_period: '1m30s',
        flush_throttle_timeout: '1.5\u00b5s',
        max_packet_msg_payload_size: 4096,
        send_rate: 9_007_199_254_740_991,
        recv_rate: 1,
        pex: false,
        seed_mode: true,
        private_peer_ids: `${ID_A},${ID_B}`,
        allow_duplicate_ip: true,
        handshake_timeout: '1h2m3.5s',
        dial_timeout: '0s'
      },
      instrumentation: { prometheus: true, prometheus_listen_addr: '127.0.0.1:26660', max_open_connections: 0, namespace: 'x' }
    })
    const text = formatConfigToml(defaultNodeConfig('/h'))
    expect(text).toContain('flush_throttle_timeout = "100ms"\n')
    expect(text).toContain('handshake_timeout = "20s"\n')
    expect(text).toContain('persistent_peers_max_dial_period = "0s"\n')
    expect(text).toContain('laddr = "tcp://0.0.0.0:26656"\n')
    expect(text).toContain('prometheus_listen_addr = ":26660"\n')
    // Sections in the reference order; every key has a comment above it.
    expect(text.indexOf('moniker =')).toBeLessThan(text.indexOf('[p2p]'))
    expect(text.indexOf('[p2p]')).toBeLessThan(text.indexOf('[instrumentation]'))
    const lines = text.split('\n')
    lines.forEach((line, i) => {
      if (/^[a-z_]+ = /.test(line)) expect(lines[i - 1]).toMatch(/^# /)
    })
  })

  it('refuses to write values that are not representable', () => {
    const cfg = defaultNodeConfig('/h')
    cfg.p2p.maxNumInboundPeers = 1.5
    expect(() => formatConfigToml(cfg)).toThrow(ConfigError)
    cfg.p2p.maxNumInboundPeers = 1
    cfg.p2p.dialTimeoutMs = Number.POSITIVE_INFINITY
    expect(() => formatConfigToml(cfg)).toThrow(/p2p.dial_timeout cannot be written/)
  })
})

describe('reading CometBFT files', () => {
  it('reads a v0.34 config.toml', () => {
    const cfg = parseConfigToml(CONFIG_V034, { home: '/n' })
    expect(cfg).toEqual({
      home: '/n',
      moniker: 'sentry-eu-1',
      logLevel: 'p2p:debug,*:info',
      logFormat: 'json',
      genesisFile: 'config/genesis.json',
      nodeKeyFile: 'config/node_key.json',
      p2p: {
        laddr: 'tcp://0.0.0.0:26656',
        externalAddress: '203.0.113.7:26656',
        seeds: [`${ID_A}@seed-1.example.org:26656`, `${ID_B}@198.51.100.20:26656`],
        persistentPeers: [`${ID_C}@10.0.0.5:26656`, `${ID_A}@[2001:db8::1]:26656`],
        addrBookFile: 'config/addrbook.json',
        addrBookStrict: false,
        maxNumInboundPeers: 120,
        maxNumOutboundPeers: 30,
        unconditionalPeerIds: [ID_C],
        persistentPeersMaxDialPeriodMs: 90_000,
        flushThrottleTimeoutMs: 10,
        maxPacketMsgPayloadSize: 10240,
        sendRate: 20_480_000,
        recvRate: 20_480_000,
        pex: true,
        seedMode: false,
        privatePeerIds: [ID_C, ID_B],
        allowDuplicateIp: true,
        handshakeTimeoutMs: 20_000,
        dialTimeoutMs: 3_000
      },
      instrumentation: { prometheus: true, prometheusListenAddr: ':26660', maxOpenConnections: 3, namespace: 'cometbft' }
    })
    expect(() => validateNodeConfig(cfg)).not.toThrow()
  })

  it('reads a v0.38 config.toml', () => {
    const cfg = parseConfigToml(CONFIG_V038, { home: '/n' })
    expect(cfg.moniker).toBe('archive-node')
    expect(cfg.logFormat).toBe('plain')
    expect(cfg.p2p).toMatchObject({
      laddr: 'tcp://0.0.0.0:36656',
      externalAddress: '',
      seeds: [`${ID_B}@seeds.example.net:26656`],
      persistentPeers: [],
      addrBookFile: '/var/lib/cometbft/addrbook.json',
      addrBookStrict: true,
      pex: false,
      persistentPeersMaxDialPeriodMs: 0,
      flushThrottleTimeoutMs: 100
    })
    expect(cfg.instrumentation.prometheus).toBe(false)
    expect(() => validateNodeConfig(cfg)).not.toThrow()
  })

  it('keeps the defaults for keys that are missing', () => {
    const cfg = parseConfigToml('moniker = "m"\n[p2p]\npex = false\n', { home: '/n' })
    const expected = defaultNodeConfig('/n')
    expected.moniker = 'm'
    expected.p2p.pex = false
    expect(cfg).toEqual(expected)
    expect(parseConfigToml('', { home: '/n' }).p2p).toEqual(defaultNodeConfig('/n').p2p)
  })

  it('tolerates what viper and mapstructure tolerate: key case, strings for numbers and booleans, integer nanoseconds', () => {
    const text = ['Moniker = "x"', '[P2P]', 'MAX_NUM_INBOUND_PEERS = "7"', 'pex = "false"', 'seed_mode = 1', 'dial_timeout = 2500000000', 'seeds = 12'].join('\n')
    const cfg = parseConfigToml(text, { home: '/n' })
    expect(cfg.moniker).toBe('x')
    expect(cfg.p2p).toMatchObject({ maxNumInboundPeers: 7, pex: false, seedMode: true, dialTimeoutMs: 2500, seeds: ['12'] })
  })

  const wrong: [string, RegExp][] = [
    ['[p2p]\nmax_num_inbound_peers = "many"', /p2p.max_num_inbound_peers must be an integer, got the string "many"/],
    ['[p2p]\nmax_num_inbound_peers = 1.5', /must be an integer, got 1.5/],
    ['[p2p]\nsend_rate = 9223372036854775807', /p2p.send_rate is out of range/],
    ['[p2p]\npex = "yes"', /p2p.pex must be true or false/],
    ['[p2p]\nflush_throttle_timeout = "100"', /p2p.flush_throttle_timeout must be a duration .*missing unit/],
    ['[p2p]\nhandshake_timeout = 1.5', /must be a duration/],
    ['[p2p]\nseeds = ["a", "b"]', /p2p.seeds must be a string, got an array/],
    ['moniker = 1979-05-27', /moniker must be a string, got a date/],
    ['p2p = 5', /p2p must be a table/]
  ]
  it.each(wrong)('rejects wrong types: %j', (text, message) => {
    try {
      parseConfigToml(text, { home: '/n', file: '/n/config/config.toml' })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      expect((err as ConfigError).message).toMatch(message)
      expect((err as ConfigError).message.startsWith('/n/config/config.toml: ')).toBe(true)
      expect((err as ConfigError).file).toBe('/n/config/config.toml')
    }
  })

  it('reports malformed TOML with its position, on one line', () => {
    try {
      parseConfigToml('moniker = "x"\n[p2p\n', { home: '/n', file: 'c.toml' })
      expect.unreachable()
    } catch (err) {
      const e = err as ConfigError
      expect(e).toBeInstanceOf(ConfigError)
      expect(e.key).toBeUndefined()
      expect(e.message).toMatch(/^c\.toml: invalid TOML at line 2, column \d+: /)
      expect(e.message).not.toContain('\n')
    }
  })
})
