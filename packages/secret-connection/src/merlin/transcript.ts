import { InvalidArgumentError } from '@comet-p2p/types'
import { Strobe128 } from './strobe.js'

const encoder = new TextEncoder()

function labelBytes(label: string | Uint8Array): Uint8Array {
  return typeof label === 'string' ? encoder.encode(label) : label
}

/** Little-endian 32-bit length, as Merlin frames every message and output. */
function lengthBytes(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0 || length > 0xffffffff) {
    throw new InvalidArgumentError(`merlin lengths must fit in 32 bits, got ${length}`)
  }
  return Uint8Array.of(length & 0xff, (length >>> 8) & 0xff, (length >>> 16) & 0xff, length >>> 24)
}

const MERLIN_PROTOCOL = encoder.encode('Merlin v1.0')
const DOM_SEP = encoder.encode('dom-sep')

/** Set by {@link MerlinTranscript.clone} for the constructor call that follows it. */
let cloneSource: Strobe128 | undefined

/**
 * A Merlin v1.0 transcript (https://merlin.cool): a running hash of labelled
 * messages from which challenges are drawn, built on STROBE-128. Labels given
 * as strings are UTF-8 encoded.
 */
export class MerlinTranscript {
  readonly #strobe: Strobe128

  /** Starts a transcript for the application protocol named `label`. */
  constructor(label: string | Uint8Array) {
    const from = cloneSource
    if (from !== undefined) {
      cloneSource = undefined
      this.#strobe = from
      return
    }
    this.#strobe = new Strobe128(MERLIN_PROTOCOL)
    this.appendMessage(DOM_SEP, labelBytes(label))
  }

  /**
   * An independent copy: both continue from the messages appended so far.
   * A transcript whose first messages are always the same can be built once
   * and cloned, instead of absorbing them again every time.
   */
  clone(): MerlinTranscript {
    cloneSource = this.#strobe.clone()
    return new MerlinTranscript('')
  }

  /** Commits `message` under `label`. */
  appendMessage(label: string | Uint8Array, message: Uint8Array): void {
    this.#strobe.metaAd(labelBytes(label), false)
    this.#strobe.metaAd(lengthBytes(message.length), true)
    this.#strobe.ad(message, false)
  }

  /**
   * Draws `length` challenge bytes bound to everything appended so far
   * (`ExtractBytes` in the Go library, `challenge_bytes` in Rust). The
   * transcript then continues, so later outputs differ.
   */
  challengeBytes(label: string | Uint8Array, length: number): Uint8Array {
    const encodedLength = lengthBytes(length)
    const out = new Uint8Array(length)
    this.#strobe.metaAd(labelBytes(label), false)
    this.#strobe.metaAd(encodedLength, true)
    this.#strobe.prf(out, false)
    return out
  }
}
