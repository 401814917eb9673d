import { DecodeError, MessageTooLargeError } from '../errors.js'
import { readUvarint, uvarintLength, writeUvarint } from './uvarint.js'

/** `uvarint(length) || message`: how every protobuf message travels on a CometBFT stream. */
export function encodeDelimited(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(uvarintLength(message.length) + message.length)
  out.set(message, writeUvarint(message.length, out, 0))
  return out
}

/**
 * Decodes bytes holding exactly one length-delimited message. Throws
 * {@link MessageTooLargeError} over `maxSize`, {@link DecodeError} when the
 * bytes are short or have trailing data.
 */
export function decodeDelimited(bytes: Uint8Array, maxSize: number): Uint8Array {
  const prefix = readUvarint(bytes, 0)
  if (prefix === undefined) throw new DecodeError('length prefix is truncated')
  if (prefix.value > maxSize) throw new MessageTooLargeError(prefix.value, maxSize)
  const end = prefix.length + prefix.value
  if (end > bytes.length) throw new DecodeError(`message is truncated: need ${prefix.value} bytes, have ${bytes.length - prefix.length}`)
  if (end < bytes.length) throw new DecodeError(`${bytes.length - end} unexpected bytes after the message`)
  return bytes.subarray(prefix.length, end)
}
