import { blake2s } from '@noble/hashes/blake2.js'
import type { NetAddress } from '@comet-p2p/types'
import { groupKey } from './group-key.js'
import { NEW_BUCKET_COUNT, NEW_BUCKETS_PER_GROUP, OLD_BUCKET_COUNT, OLD_BUCKETS_PER_GROUP } from './params.js'

const encoder = new TextEncoder()

/**
 * Places addresses in buckets with the reference's two-step scheme:
 *
 * - new: `H(key ‖ group(src) ‖ u64be(H(key ‖ group(addr) ‖ group(src)) mod 32)) mod 256`
 * - old: `H(key ‖ group(addr) ‖ u64be(H(key ‖ addr) mod 4)) mod 64`
 *
 * `key` is the book's `key` string; `H` is the first eight bytes, read as a
 * big-endian integer, of a keyed hash. The reference uses HighwayHash with a
 * random key that it never saves, so its placements change at every
 * restart; here `H` is BLAKE2s keyed with `hashKey`, which the file keeps,
 * so an address lands in the same bucket after a restart.
 */
export class BucketHasher {
  /** Hash state after the key block and the book key: each hash continues from a copy. */
  readonly #base: ReturnType<typeof blake2s.create>
  readonly #strict: boolean
  /** Group keys (as bytes) of addresses already seen; sources in particular recur constantly. */
  readonly #groups = new WeakMap<NetAddress, Uint8Array>()

  constructor(key: string, hashKey: Uint8Array, routabilityStrict: boolean) {
    this.#base = blake2s.create({ key: Uint8Array.from(hashKey), dkLen: 8 })
    this.#base.update(encoder.encode(key))
    this.#strict = routabilityStrict
  }

  /** The new bucket (0 to 255) for `addr` learnt from `src`. */
  newBucket(addr: NetAddress, src: NetAddress): number {
    const srcGroup = this.#group(src)
    const spread = uint64Mod(this.#hash(this.#group(addr), srcGroup), NEW_BUCKETS_PER_GROUP)
    return uint64Mod(this.#hash(srcGroup, uint64Bytes(spread)), NEW_BUCKET_COUNT)
  }

  /** The old bucket (0 to 63) for `addr`. */
  oldBucket(addr: NetAddress): number {
    const spread = uint64Mod(this.#hash(encoder.encode(addr.toString())), OLD_BUCKETS_PER_GROUP)
    return uint64Mod(this.#hash(this.#group(addr), uint64Bytes(spread)), OLD_BUCKET_COUNT)
  }

  #group(addr: NetAddress): Uint8Array {
    let bytes = this.#groups.get(addr)
    if (bytes === undefined) {
      bytes = encoder.encode(groupKey(addr, this.#strict))
      this.#groups.set(addr, bytes)
    }
    return bytes
  }

  /** Keyed hash of the book key followed by `parts`; only the first eight bytes are used. */
  #hash(...parts: Uint8Array[]): Uint8Array {
    const h = this.#base.clone()
    for (const part of parts) h.update(part)
    return h.digest()
  }
}

/** `bytes[0..8]` as a big-endian unsigned 64-bit integer, modulo `n` (a small positive integer). */
export function uint64Mod(bytes: Uint8Array, n: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8)
  const high = view.getUint32(0)
  const low = view.getUint32(4)
  // (high·2^32 + low) mod n, keeping every intermediate below 2^53.
  return ((high % n) * (2 ** 32 % n) + (low % n)) % n
}

/** `value` as eight big-endian bytes (the reference's `binary.BigEndian.PutUint64`). */
function uint64Bytes(value: number): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setUint32(4, value)
  return out
}
