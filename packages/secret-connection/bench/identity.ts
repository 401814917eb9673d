// Identities for the benchmarks: the NodeKey users have (ed25519 in
// JavaScript, @noble/curves) and an equivalent that signs with node:crypto,
// to show how much of a handshake is the identity's signing.
import { generateKeyPairSync, sign } from 'node:crypto'
import { NodeKey, nodeIdFromPubKey, type NodeIdentity } from '@comet-p2p/types'

export type IdentityKind = 'NodeKey' | 'node-crypto'

export function makeIdentity(kind: IdentityKind): NodeIdentity {
  if (kind === 'NodeKey') return NodeKey.generate()
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const x = publicKey.export({ format: 'jwk' }).x
  if (x === undefined) throw new Error('no public key')
  const raw = new Uint8Array(Buffer.from(x, 'base64url'))
  return { publicKey: raw, id: nodeIdFromPubKey(raw), sign: (message) => new Uint8Array(sign(null, message, privateKey)) }
}
