import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { AEAD_KEY_SIZE } from './constants.js'

const KEY_AND_CHALLENGE_INFO = new TextEncoder().encode('TENDERMINT_SECRET_CONNECTION_KEY_AND_CHALLENGE_GEN')

/** The two directional keys derived from the X25519 shared secret. */
export interface DerivedSecrets {
  /** Key that opens the frames the peer sends. */
  recvKey: Uint8Array
  /** Key that seals the frames we send. */
  sendKey: Uint8Array
  /**
   * Bytes 64..95 of the HKDF output. Old protocol versions signed these as
   * the challenge; v0.34 uses the Merlin transcript instead. Kept for the
   * golden-file test only.
   */
  legacyChallenge: Uint8Array
}

/**
 * HKDF-SHA256 (no salt) over the DH secret, 96 bytes. Whoever has the lower
 * ephemeral public key receives with the first 32 bytes and sends with the
 * next 32; the other side uses them the other way round, so each direction
 * has its own key.
 */
export function deriveSecrets(dhSecret: Uint8Array, localIsLeast: boolean): DerivedSecrets {
  const okm = hkdf(sha256, dhSecret, undefined, KEY_AND_CHALLENGE_INFO, 3 * AEAD_KEY_SIZE)
  const first = okm.slice(0, AEAD_KEY_SIZE)
  const second = okm.slice(AEAD_KEY_SIZE, 2 * AEAD_KEY_SIZE)
  return {
    recvKey: localIsLeast ? first : second,
    sendKey: localIsLeast ? second : first,
    legacyChallenge: okm.slice(2 * AEAD_KEY_SIZE)
  }
}
