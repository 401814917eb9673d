import { DecodeError } from '../errors.js'
import { decodeProto, plainBytes } from './decode.js'
import { google, tendermint } from './generated.js'

/** A public key as carried on the wire (`tendermint.crypto.PublicKey`). */
export interface PublicKeyProto {
  type: 'ed25519' | 'secp256k1'
  bytes: Uint8Array
}

/** The secret connection's authentication message: the node's key and its signature of the handshake challenge. */
export interface AuthSigMessage {
  pubKey: PublicKeyProto
  sig: Uint8Array
}

const { AuthSigMessage: AuthSigProto } = tendermint.p2p
const { BytesValue } = google.protobuf

/** Protobuf encoding of an {@link AuthSigMessage}, without length prefix. */
export function encodeAuthSigMessage(message: AuthSigMessage): Uint8Array {
  const pubKey = message.pubKey.type === 'ed25519' ? { ed25519: message.pubKey.bytes } : { secp256k1: message.pubKey.bytes }
  return AuthSigProto.encode({ pubKey, sig: message.sig }).finish()
}

/** Decodes an {@link AuthSigMessage}; a missing public key is a {@link DecodeError}. */
export function decodeAuthSigMessage(bytes: Uint8Array): AuthSigMessage {
  const decoded = decodeProto(AuthSigProto, bytes, 'AuthSigMessage')
  const key = decoded.pubKey
  const sig = plainBytes(decoded.sig)
  switch (key?.sum) {
    case 'ed25519':
      return { pubKey: { type: 'ed25519', bytes: plainBytes(key.ed25519) }, sig }
    case 'secp256k1':
      return { pubKey: { type: 'secp256k1', bytes: plainBytes(key.secp256k1) }, sig }
    default:
      throw new DecodeError('AuthSigMessage carries no public key')
  }
}

/** Protobuf encoding of `google.protobuf.BytesValue{value}` (how the ephemeral key is sent). */
export function encodeBytesValue(value: Uint8Array): Uint8Array {
  return BytesValue.encode({ value }).finish()
}

/** Decodes a `google.protobuf.BytesValue`; an absent value decodes as empty. */
export function decodeBytesValue(bytes: Uint8Array): Uint8Array {
  return plainBytes(decodeProto(BytesValue, bytes, 'BytesValue').value)
}
