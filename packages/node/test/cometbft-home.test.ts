import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AddrBook } from '@comet-p2p/addrbook'
import { loadVector, vectorsDir } from '@comet-p2p/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createNodeFromHome, type P2PNode } from '../src/index.js'

interface KeyVectors {
  cases: { name: string; id: string; node_key_json: string }[]
}

/** A config.toml as CometBFT v0.34 writes it (sections we do not read included), on loopback with PEX off. */
const CONFIG = `# This is a TOML config file, written by CometBFT
proxy_app = "tcp://127.0.0.1:26658"
moniker = "validator-eu-2"
fast_sync = true
db_backend = "goleveldb"
db_dir = "data"
log_level = "p2p:info,*:error"
log_format = "plain"
genesis_file = "config/genesis.json"
priv_validator_key_file = "config/priv_validator_key.json"
priv_validator_state_file = "data/priv_validator_state.json"
node_key_file = "config/node_key.json"
abci = "socket"
filter_peers = false

[rpc]
laddr = "tcp://127.0.0.1:26657"
cors_allowed_origins = []

[p2p]
laddr = "tcp://127.0.0.1:0"
external_address = ""
seeds = ""
persistent_peers = ""
upnp = false
addr_book_file = "config/addrbook.json"
addr_book_strict = false
max_num_inbound_peers = 17
max_num_outbound_peers = 5
unconditional_peer_ids = ""
persistent_peers_max_dial_period = "0s"
flush_throttle_timeout = "10ms"
max_packet_msg_payload_size = 1024
send_rate = 5120000
recv_rate = 5120000
# PEX off: the address book below holds public addresses, never dialed from a test.
pex = false
seed_mode = false
private_peer_ids = ""
allow_duplicate_ip = true
handshake_timeout = "20s"
dial_timeout = "3s"

[mempool]
version = "v0"
size = 5000

[consensus]
timeout_commit = "1s"

[instrumentation]
prometheus = false
prometheus_listen_addr = ":26660"
max_open_connections = 3
namespace = "cometbft"
`

let home: string
let node: P2PNode | undefined

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'comet-p2p-cmt-home-'))
  node = undefined
})

afterEach(async () => {
  await node?.stop()
  await rm(home, { recursive: true, force: true })
})

describe('a CometBFT home', () => {
  it('is reused: key, settings, chain ID and address book', async () => {
    const key = loadVector<KeyVectors>('keys.json').cases[0]!
    await mkdir(join(home, 'config'), { recursive: true })
    await mkdir(join(home, 'data'))
    await writeFile(join(home, 'config', 'config.toml'), CONFIG)
    await writeFile(join(home, 'config', 'node_key.json'), key.node_key_json, { mode: 0o600 })
    await writeFile(join(home, 'config', 'genesis.json'), JSON.stringify({ genesis_time: '2024-01-01T00:00:00Z', chain_id: 'cosmoshub-test-9', initial_height: '1', app_state: {} }))
    await copyFile(join(vectorsDir(), 'addrbook', 'addrbook.json'), join(home, 'config', 'addrbook.json'))
    // What the book holds once loaded (the file also lists a banned entry).
    await copyFile(join(vectorsDir(), 'addrbook', 'addrbook.json'), join(home, 'reference.json'))
    const reference = new AddrBook({ filePath: join(home, 'reference.json'), routabilityStrict: false })
    await reference.start()
    const known = reference.size()
    await reference.stop()
    expect(known).toBeGreaterThan(50)

    node = await createNodeFromHome(home)
    expect(node.id).toBe(key.id)
    expect(node.config.moniker).toBe('validator-eu-2')
    expect(node.config.chainId).toBe('cosmoshub-test-9')
    expect(node.config.p2p).toMatchObject({ maxNumInboundPeers: 17, maxNumOutboundPeers: 5, flushThrottleTimeoutMs: 10, pex: false })
    expect(node.switch.config).toMatchObject({ maxNumInboundPeers: 17, maxNumOutboundPeers: 5, flushThrottleTimeoutMs: 10, allowDuplicateIp: true })
    await node.start()
    expect(node.nodeInfo()).toMatchObject({ id: key.id, network: 'cosmoshub-test-9', moniker: 'validator-eu-2' })
    expect(node.addrBook.size()).toBe(known)
    await node.stop()

    // Saved back in the reference format: loads again with every entry.
    const saved = JSON.parse(await readFile(join(home, 'config', 'addrbook.json'), 'utf8')) as { key: string; addrs: unknown[] }
    expect(saved.key).toBe('00f83720f0dd717cfe90c673')
    expect(saved.addrs).toHaveLength(known)
    const book = new AddrBook({ filePath: join(home, 'config', 'addrbook.json'), routabilityStrict: false })
    await book.start()
    expect(book.size()).toBe(known)
    await book.stop()
  })
})
