import { InvalidArgumentError } from '@comet-p2p/types'
import { keccakP } from '@noble/hashes/sha3.js'

// The subset of STROBE v1.0.2 (128-bit security, Keccak-f[1600]) that Merlin
// needs: meta-AD, AD and PRF operations. Written from the STROBE
// specification; Keccak itself is @noble/hashes' permutation.

/** Sponge rate in bytes for 128-bit security: 200 - 2 * 16 - 2. */
const STROBE_R = 166

const FLAG_I = 1 << 0
const FLAG_A = 1 << 1
const FLAG_C = 1 << 2
const FLAG_T = 1 << 3
const FLAG_M = 1 << 4
const FLAG_K = 1 << 5

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/**
 * A STROBE-128 duplex state. Only the operations Merlin uses exist; the
 * transport flag (`T`) is never set, so nothing here sends or receives.
 */
export class Strobe128 {
  readonly #state = new Uint8Array(200)
  readonly #words = new Uint32Array(this.#state.buffer)
  #pos = 0
  #posBegin = 0
  #curFlags = 0

  /** A fresh state initialised for `protocolLabel` (absorbed as meta-AD), or a copy of `from`. */
  constructor(protocolLabel: Uint8Array | Strobe128) {
    if (protocolLabel instanceof Strobe128) {
      this.#state.set(protocolLabel.#state)
      this.#pos = protocolLabel.#pos
      this.#posBegin = protocolLabel.#posBegin
      this.#curFlags = protocolLabel.#curFlags
      return
    }
    const st = this.#state
    st.set([1, STROBE_R + 2, 1, 0, 1, 96], 0)
    st.set(new TextEncoder().encode('STROBEv1.0.2'), 6)
    this.#permute()
    this.metaAd(protocolLabel, false)
  }

  /** An independent copy of this state. */
  clone(): Strobe128 {
    return new Strobe128(this)
  }

  /** Absorbs framing metadata (`M | A`). `more` continues the previous operation. */
  metaAd(data: Uint8Array, more: boolean): void {
    this.#beginOp(FLAG_M | FLAG_A, more)
    this.#absorb(data)
  }

  /** Absorbs associated data (`A`). */
  ad(data: Uint8Array, more: boolean): void {
    this.#beginOp(FLAG_A, more)
    this.#absorb(data)
  }

  /** Squeezes pseudo-random bytes into `out` (`I | A | C`). */
  prf(out: Uint8Array, more: boolean): void {
    this.#beginOp(FLAG_I | FLAG_A | FLAG_C, more)
    this.#squeeze(out)
  }

  #beginOp(flags: number, more: boolean): void {
    if (more) {
      if (this.#curFlags !== flags) throw new InvalidArgumentError(`STROBE: cannot continue operation ${this.#curFlags} as ${flags}`)
      return
    }
    if ((flags & FLAG_T) !== 0) throw new InvalidArgumentError('STROBE: transport operations are not supported')
    const oldBegin = this.#posBegin
    this.#posBegin = this.#pos + 1
    this.#curFlags = flags
    this.#absorbByte(oldBegin)
    this.#absorbByte(flags)
    // Cipher and key operations must start on a fresh block.
    const forceF = (flags & (FLAG_C | FLAG_K)) !== 0
    if (forceF && this.#pos !== 0) this.#runF()
  }

  #absorbByte(byte: number): void {
    const st = this.#state
    st[this.#pos] = (st[this.#pos] as number) ^ byte
    if (++this.#pos === STROBE_R) this.#runF()
  }

  #absorb(data: Uint8Array): void {
    const st = this.#state
    let pos = this.#pos
    for (let i = 0; i < data.length; i++) {
      st[pos] = (st[pos] as number) ^ (data[i] as number)
      if (++pos === STROBE_R) {
        this.#pos = pos
        this.#runF()
        pos = 0
      }
    }
    this.#pos = pos
  }

  #squeeze(out: Uint8Array): void {
    const st = this.#state
    let pos = this.#pos
    for (let i = 0; i < out.length; i++) {
      out[i] = st[pos] as number
      st[pos] = 0
      if (++pos === STROBE_R) {
        this.#pos = pos
        this.#runF()
        pos = 0
      }
    }
    this.#pos = pos
  }

  /** Pads the current block (position marker, domain bit, rate end) and permutes. */
  #runF(): void {
    const st = this.#state
    st[this.#pos] = (st[this.#pos] as number) ^ this.#posBegin
    st[this.#pos + 1] = (st[this.#pos + 1] as number) ^ 0x04
    st[STROBE_R + 1] = (st[STROBE_R + 1] as number) ^ 0x80
    this.#permute()
    this.#pos = 0
    this.#posBegin = 0
  }

  #permute(): void {
    // noble's permutation works on 32-bit words whose byte order is the
    // host's; Keccak's byte layout is little-endian, so big-endian hosts swap.
    if (!HOST_IS_LITTLE_ENDIAN) swapWords(this.#words)
    keccakP(this.#words)
    if (!HOST_IS_LITTLE_ENDIAN) swapWords(this.#words)
  }
}

function swapWords(words: Uint32Array): void {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as number
    words[i] = ((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)
  }
}
