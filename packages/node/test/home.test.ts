import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InvalidNodeKeyError, NodeKey, formatNodeKeyJson } from '@comet-p2p/types'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ConfigError,
  GenesisError,
  NodeKeyExistsError,
  NodeKeyNotFoundError,
  defaultHome,
  defaultNodeConfig,
  formatMinimalGenesis,
  homePaths,
  initHome,
  loadHome,
  readGenesisChainId,
  resolveHome
} from '../src/index.js'
import { CONFIG_V034, ID_A } from './fixtures.js'

let home: string

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'comet-p2p-home-'))
})

afterEach(async () => {
  await rm(home, { recursive: true, force: true })
})

describe('paths', () => {
  it('follow the reference layout', () => {
    expect(homePaths('/h')).toEqual({
      home: '/h',
      configDir: '/h/config',
      dataDir: '/h/data',
      configFile: '/h/config/config.toml',
      nodeKeyFile: '/h/config/node_key.json',
      genesisFile: '/h/config/genesis.json',
      addrBookFile: '/h/config/addrbook.json'
    })
    const cfg = defaultNodeConfig('/h')
    cfg.p2p.addrBookFile = '/abs/book.json'
    cfg.nodeKeyFile = 'keys/k.json'
    expect(homePaths('/h', cfg)).toMatchObject({ addrBookFile: '/abs/book.json', nodeKeyFile: '/h/keys/k.json' })
  })

  it('default home: flag, then COMET_P2P_HOME, then ~/.comet-p2p', () => {
    expect(defaultHome({ COMET_P2P_HOME: '/env/home' })).toBe('/env/home')
    expect(defaultHome({})).toMatch(/\.comet-p2p$/)
    expect(resolveHome('/flag', { COMET_P2P_HOME: '/env/home' })).toBe('/flag')
    expect(resolveHome(undefined, { COMET_P2P_HOME: '/env/home' })).toBe('/env/home')
  })
})

describe('initHome / loadHome', () => {
  it('creates a home that loads back', async () => {
    const created = await initHome({ home, chainId: 'test-chain', moniker: 'alice', genesisTime: new Date('2026-01-02T03:04:05Z') })
    expect(created.wroteConfig).toBe(true)
    expect(created.wroteGenesis).toBe(true)
    expect(created.config.chainId).toBe('test-chain')
    expect((await stat(join(home, 'data'))).isDirectory()).toBe(true)
    expect((await stat(created.paths.nodeKeyFile)).mode & 0o777).toBe(0o600)
    expect(JSON.parse(await readFile(created.paths.genesisFile, 'utf8'))).toEqual({
      genesis_time: '2026-01-02T03:04:05.000Z',
      chain_id: 'test-chain',
      initial_height: '1',
      validators: [],
      app_hash: ''
    })

    const loaded = await loadHome(home)
    expect(loaded.configFileFound).toBe(true)
    expect(loaded.nodeKey.id).toBe(created.nodeKey.id)
    expect(loaded.config.chainId).toBe('test-chain')
    expect(loaded.config.moniker).toBe('alice')
    expect(loaded.config.p2p.addrBookFile).toBe(join(home, 'config', 'addrbook.json'))
    expect(loaded.config.nodeKeyFile).toBe(join(home, 'config', 'node_key.json'))
    expect(loaded.paths).toEqual(homePaths(home))
  })

  it('applies overrides, the chain ID override winning over genesis', async () => {
    await initHome({ home, chainId: 'from-genesis' })
    const loaded = await loadHome(home, { chainId: 'from-flag', moniker: 'bob', p2p: { pex: false, seeds: [`${ID_A}@h.example:1`] } })
    expect(loaded.config).toMatchObject({ chainId: 'from-flag', moniker: 'bob' })
    expect(loaded.config.p2p).toMatchObject({ pex: false, seeds: [`${ID_A}@h.example:1`] })
  })

  it('refuses to overwrite a node key, before writing anything', async () => {
    await mkdir(join(home, 'config'), { recursive: true })
    const keyFile = join(home, 'config', 'node_key.json')
    const existing = formatNodeKeyJson(NodeKey.generate())
    await writeFile(keyFile, existing)
    const err = await initHome({ home, chainId: 'c' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NodeKeyExistsError)
    expect((err as NodeKeyExistsError).code).toBe('ERR_NODE_KEY_EXISTS')
    expect((err as NodeKeyExistsError).message).toContain(keyFile)
    expect(await readFile(keyFile, 'utf8')).toBe(existing)
    await expect(stat(join(home, 'config', 'config.toml'))).rejects.toThrow(/ENOENT/)
    await expect(stat(join(home, 'config', 'genesis.json'))).rejects.toThrow(/ENOENT/)
  })

  it('a second init fails on the key', async () => {
    await initHome({ home })
    await expect(initHome({ home })).rejects.toBeInstanceOf(NodeKeyExistsError)
  })

  it('never modifies an existing config.toml, and honours its paths', async () => {
    await mkdir(join(home, 'config'), { recursive: true })
    const text = CONFIG_V034.replace('node_key_file = "config/node_key.json"', 'node_key_file = "secrets/nk.json"')
    await writeFile(join(home, 'config', 'config.toml'), text)
    const created = await initHome({ home, chainId: 'c', moniker: 'ignored' })
    expect(created.wroteConfig).toBe(false)
    expect(created.config.moniker).toBe('sentry-eu-1')
    expect(await readFile(join(home, 'config', 'config.toml'), 'utf8')).toBe(text)
    expect(created.paths.nodeKeyFile).toBe(join(home, 'secrets', 'nk.json'))
    const loaded = await loadHome(home)
    expect(loaded.nodeKey.id).toBe(created.nodeKey.id)
    expect(loaded.config.p2p.maxNumInboundPeers).toBe(120)
  })

  it('keeps an existing genesis and refuses a conflicting chain ID', async () => {
    await mkdir(join(home, 'config'), { recursive: true })
    const genesis = join(home, 'config', 'genesis.json')
    await writeFile(genesis, JSON.stringify({ genesis_time: 'x', chain_id: 'real-chain', app_state: { big: [1, 2, 3] } }))
    await expect(initHome({ home, chainId: 'other' })).rejects.toThrow(/has chain_id "real-chain", not "other"/)
    const created = await initHome({ home, chainId: 'real-chain' })
    expect(created.wroteGenesis).toBe(false)
    expect((await loadHome(home)).config.chainId).toBe('real-chain')
  })

  it('uses the defaults when config.toml is missing; no genesis leaves the chain ID unset', async () => {
    await initHome({ home })
    await rm(join(home, 'config', 'config.toml'))
    const loaded = await loadHome(home)
    expect(loaded.configFileFound).toBe(false)
    expect(loaded.config.chainId).toBeUndefined()
    expect(loaded.config.p2p).toMatchObject({ laddr: 'tcp://0.0.0.0:26656', maxNumInboundPeers: 40 })
  })

  it('a missing node key is a NodeKeyNotFoundError naming the file, unless asked to generate one', async () => {
    const err = await loadHome(home).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NodeKeyNotFoundError)
    expect((err as Error).message).toContain(join(home, 'config', 'node_key.json'))
    const generated = await loadHome(home, {}, { generateNodeKey: true })
    expect((await loadHome(home)).nodeKey.id).toBe(generated.nodeKey.id)
  })

  it('a corrupt node key is an InvalidNodeKeyError naming the file', async () => {
    await initHome({ home })
    const keyFile = join(home, 'config', 'node_key.json')
    await writeFile(keyFile, '{"priv_key": {"type": "tendermint/PrivKeyEd25519", "value": "!!"}}')
    const err = await loadHome(home).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InvalidNodeKeyError)
    expect((err as Error).message).toContain(keyFile)
  })

  it('errors from the file name the file; errors from overrides do not', async () => {
    await initHome({ home })
    const configFile = join(home, 'config', 'config.toml')
    const text = await readFile(configFile, 'utf8')
    await writeFile(configFile, text.replace('max_num_inbound_peers = 40', 'max_num_inbound_peers = -3'))
    const fromFile = (await loadHome(home).catch((e: unknown) => e)) as ConfigError
    expect(fromFile).toBeInstanceOf(ConfigError)
    expect(fromFile.message).toBe(`${configFile}: p2p.max_num_inbound_peers must be a non-negative integer, got -3`)
    expect(fromFile.file).toBe(configFile)
    // An override replacing the bad value makes it valid.
    await expect(loadHome(home, { p2p: { maxNumInboundPeers: 5 } })).resolves.toBeDefined()
    const fromFlag = (await loadHome(home, { p2p: { maxNumInboundPeers: 5, seeds: ['nope'] } }).catch((e: unknown) => e)) as ConfigError
    expect(fromFlag.key).toBe('p2p.seeds')
    expect(fromFlag.file).toBeUndefined()
  })

  it('malformed config.toml is a ConfigError with file and line', async () => {
    await initHome({ home })
    await writeFile(join(home, 'config', 'config.toml'), 'moniker = \n')
    await expect(loadHome(home)).rejects.toThrow(/config\.toml: invalid TOML at line 1/)
  })
})

describe('genesis chain ID', () => {
  it('is read from a small file, and from the start of a big one without parsing all of it', async () => {
    const file = join(home, 'genesis.json')
    expect(await readGenesisChainId(file)).toBeUndefined()
    await writeFile(file, formatMinimalGenesis('small-1', new Date(0)))
    expect(await readGenesisChainId(file)).toBe('small-1')
    const filler = 'x'.repeat(200_000)
    // Valid up to far past the chain ID, then broken: only the start is read.
    await writeFile(file, `{"genesis_time":"2020-01-01T00:00:00Z","chain_id":"big-\\u0031","app_state":{"a":"${filler}"} BROKEN`)
    expect(await readGenesisChainId(file)).toBe('big-1')
    // Chain ID after the first 64 KiB: the whole file is parsed.
    await writeFile(file, JSON.stringify({ app_state: { blob: filler, nested: [{ '"}': '{' }] }, chain_id: 'late-7' }))
    expect(await readGenesisChainId(file)).toBe('late-7')
  })

  it('bad genesis files are GenesisErrors naming the file', async () => {
    const file = join(home, 'genesis.json')
    const cases: [string, RegExp][] = [
      ['{"chain_id": 5}', /chain_id must be a string/],
      ['{"chain_id": ""}', /chain_id is empty/],
      [`{"chain_id": "${'c'.repeat(51)}"}`, /at most 50/],
      ['{"genesis_time": "x"}', /has no chain_id/],
      ['[1]', /not a JSON object/],
      ['{', /not valid JSON/]
    ]
    for (const [text, message] of cases) {
      await writeFile(file, text)
      const err = await readGenesisChainId(file).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(GenesisError)
      expect((err as GenesisError).message).toMatch(message)
      expect((err as GenesisError).message.startsWith(file)).toBe(true)
    }
  })
})
