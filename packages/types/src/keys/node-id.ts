import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { InvalidNodeIdError } from '../errors.js'

/** Length in bytes of the address a node ID encodes. */
export const NODE_ID_BYTE_LENGTH = 20

/** Length of an ed25519 public key in bytes. */
export const ED25519_PUBLIC_KEY_LENGTH = 32

/**
 * A node ID: the hex form of the first 20 bytes of SHA-256 of the node's
 * ed25519 public key. IDs derived here are lowercase; IDs received from
 * peers or users may be uppercase, which the reference accepts too.
 */
export type NodeId = string

const NODE_ID_PATTERN = /^[0-9a-fA-F]{40}$/

/** Derives the node ID of an ed25519 public key (lowercase hex, 40 characters). */
export function nodeIdFromPubKey(publicKey: Uint8Array): NodeId {
  if (publicKey.length !== ED25519_PUBLIC_KEY_LENGTH) {
    throw new InvalidNodeIdError(`ed25519 public key must be ${ED25519_PUBLIC_KEY_LENGTH} bytes, got ${publicKey.length}`)
  }
  return bytesToHex(sha256(publicKey).subarray(0, NODE_ID_BYTE_LENGTH))
}

/** True when `id` is 40 hexadecimal characters (either case). */
export function isValidNodeId(id: string): boolean {
  return NODE_ID_PATTERN.test(id)
}

/** Throws an {@link InvalidNodeIdError} that says what is wrong unless `id` is a valid node ID. */
export function assertNodeId(id: string): asserts id is NodeId {
  if (isValidNodeId(id)) return
  if (!/^[0-9a-fA-F]*$/.test(id)) throw new InvalidNodeIdError(`node ID ${JSON.stringify(id)} is not hexadecimal`)
  throw new InvalidNodeIdError(
    `node ID ${JSON.stringify(id)} must be ${NODE_ID_BYTE_LENGTH * 2} hex characters, got ${id.length}`
  )
}
