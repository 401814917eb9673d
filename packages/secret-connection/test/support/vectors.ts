import { NodeKey } from '@comet-p2p/types'
import { fromHex, loadVector, readVectorText } from '@comet-p2p/testing'
import { availableBackends, getBackend, type BackendName, type CryptoBackend } from '../../src/index.js'

export interface SideVector {
  identity_seed_hex: string
  pub_key_hex: string
  id: string
  ephemeral_priv_hex: string
  ephemeral_pub_hex: string
}

export interface ConnectionCase {
  name: string
  description: string
  a: SideVector
  b: SideVector
  a_ephemeral_is_lower: boolean
  a_sends_hex: string[]
  b_sends_hex: string[]
  a_to_b_hex: string
  b_to_a_hex: string
  a_to_b_handshake_len: number
  b_to_a_handshake_len: number
  shared: { dh_secret_hex: string; a_recv_key_hex: string; a_send_key_hex: string; challenge_hex: string }
}

export interface NegativeCase {
  name: string
  description: string
  a: SideVector
  b: SideVector | null
  b_to_a_hex: string
  a_to_b_hex: string
  expect_error: string
}

export interface ConnectionFile {
  cases: ConnectionCase[]
  negative_cases: NegativeCase[]
}

export const connectionVectors = loadVector<ConnectionFile>('secret-connection.json')

export interface GoldenRow {
  dhSecret: string
  locIsLeast: boolean
  recv: string
  send: string
  legacyChallenge: string
}

export function goldenRows(): GoldenRow[] {
  return readVectorText('derive-secrets.golden.csv')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [dhSecret, loc, recv, send, legacyChallenge] = line.split(',')
      return { dhSecret: dhSecret!, locIsLeast: loc === 'true', recv: recv!, send: send!, legacyChallenge: legacyChallenge! }
    })
}

/** One role of a recorded handshake, seen from that side. */
export interface RoleView {
  role: 'A' | 'B'
  me: SideVector
  identity: NodeKey
  ephemeralPrivateKey: Uint8Array
  /** Everything the peer wrote (what we must be fed). */
  peerBytes: Uint8Array
  /** Everything we must write. */
  ourBytes: Uint8Array
  ourSends: Uint8Array[]
  peerSends: Uint8Array[]
  handshakeLength: number
  recvKey: string
  sendKey: string
}

export function roleView(c: ConnectionCase, role: 'A' | 'B'): RoleView {
  const me = role === 'A' ? c.a : c.b
  return {
    role,
    me,
    identity: NodeKey.fromSeed(fromHex(me.identity_seed_hex)),
    ephemeralPrivateKey: fromHex(me.ephemeral_priv_hex),
    peerBytes: fromHex(role === 'A' ? c.b_to_a_hex : c.a_to_b_hex),
    ourBytes: fromHex(role === 'A' ? c.a_to_b_hex : c.b_to_a_hex),
    ourSends: (role === 'A' ? c.a_sends_hex : c.b_sends_hex).map(fromHex),
    peerSends: (role === 'A' ? c.b_sends_hex : c.a_sends_hex).map(fromHex),
    handshakeLength: role === 'A' ? c.a_to_b_handshake_len : c.b_to_a_handshake_len,
    recvKey: role === 'A' ? c.shared.a_recv_key_hex : c.shared.a_send_key_hex,
    sendKey: role === 'A' ? c.shared.a_send_key_hex : c.shared.a_recv_key_hex
  }
}

/** The backends to run vectors against. sodium is skipped (with a note) only when not installed. */
export function testBackends(): { name: BackendName; backend: CryptoBackend }[] {
  const names: BackendName[] = ['sodium', 'node', 'noble']
  const available = new Set(availableBackends())
  const out: { name: BackendName; backend: CryptoBackend }[] = []
  for (const name of names) {
    const backend = available.has(name) ? getBackend(name) : undefined
    if (backend === undefined) {
      console.warn(`[secret-connection tests] backend "${name}" is not available here: its vector runs are skipped`)
      continue
    }
    out.push({ name, backend })
  }
  return out
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0)
  const out = new Uint8Array(total)
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
