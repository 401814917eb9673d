import { MerlinTranscript } from '../merlin/index.js'

const encoder = new TextEncoder()
const TRANSCRIPT_LABEL = 'TENDERMINT_SECRET_CONNECTION_TRANSCRIPT_HASH'
const LABEL_LOWER_KEY = encoder.encode('EPHEMERAL_LOWER_PUBLIC_KEY')
const LABEL_UPPER_KEY = encoder.encode('EPHEMERAL_UPPER_PUBLIC_KEY')
const LABEL_DH_SECRET = encoder.encode('DH_SECRET')
const LABEL_MAC = encoder.encode('SECRET_CONNECTION_MAC')

/** The transcript before any handshake-specific message: built once, cloned per handshake. */
let initial: MerlinTranscript | undefined

/** Size of the challenge each side signs. */
export const CHALLENGE_SIZE = 32

/** Bytewise comparison, like Go's bytes.Compare. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return a.length - b.length
}

/** The two ephemeral keys in ascending byte order: `[lower, upper]`. */
export function sortKeys(a: Uint8Array, b: Uint8Array): [Uint8Array, Uint8Array] {
  return compareBytes(a, b) < 0 ? [a, b] : [b, a]
}

/**
 * The challenge both sides sign: a Merlin transcript over the sorted
 * ephemeral keys and the DH secret, 32 bytes drawn under SECRET_CONNECTION_MAC.
 */
export function computeChallenge(lower: Uint8Array, upper: Uint8Array, dhSecret: Uint8Array): Uint8Array {
  initial ??= new MerlinTranscript(TRANSCRIPT_LABEL)
  const transcript = initial.clone()
  transcript.appendMessage(LABEL_LOWER_KEY, lower)
  transcript.appendMessage(LABEL_UPPER_KEY, upper)
  transcript.appendMessage(LABEL_DH_SECRET, dhSecret)
  return transcript.challengeBytes(LABEL_MAC, CHALLENGE_SIZE)
}
