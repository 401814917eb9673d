/*
 * Received messages are handed out as copies. Allocating a fresh
 * `Uint8Array` per message costs a separate backing store each time (V8
 * keeps only arrays of up to 64 bytes on its heap), which dominated the
 * receive path for small messages; so, like Node's Buffer pool, mid-sized
 * messages are carved out of shared slabs. Each copy is still the callee's
 * own: no other message overlaps its bytes.
 */

const SLAB_SIZE = 16 * 1024
/** Messages above this get their own backing store. */
const SLAB_MAX = 1024
/** Messages up to this size are cheap to allocate on their own (on the V8 heap). */
const HEAP_MAX = 64

let slab = new ArrayBuffer(0)
let slabUsed = 0

/** A copy of `src[start, end)` as a plain `Uint8Array`. */
export function copyMessage(src: Uint8Array, start: number, end: number): Uint8Array {
  const length = end - start
  let out: Uint8Array
  if (length <= HEAP_MAX || length > SLAB_MAX) {
    out = new Uint8Array(length)
  } else {
    if (slabUsed + length > slab.byteLength) {
      slab = new ArrayBuffer(SLAB_SIZE)
      slabUsed = 0
    }
    out = new Uint8Array(slab, slabUsed, length)
    slabUsed += length
  }
  if (length <= 32) {
    for (let i = 0; i < length; i++) out[i] = src[start + i] as number
  } else {
    out.set(src.subarray(start, end))
  }
  return out
}
