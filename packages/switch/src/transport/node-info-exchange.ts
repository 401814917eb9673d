import type { Duplex } from 'node:stream'
import {
  MAX_NODE_INFO_SIZE,
  MessageTooLargeError,
  readUvarint,
  abortErrorFor,
  decodeNodeInfo,
  encodeDelimited,
  encodeNodeInfo,
  type NodeInfo
} from '@comet-p2p/types'
import { RejectedError } from '../errors.js'

/**
 * The version handshake: writes our NodeInfo (length-delimited) while
 * reading the peer's, as the reference does with two goroutines. Resolves
 * with the peer's NodeInfo, decoded but not validated. Bytes the peer sent
 * after its NodeInfo (it may already be talking MConnection) are pushed back
 * into `stream`, which is left paused for the next reader.
 *
 * Rejects with a `RejectedError` (`node_info_invalid` for an oversized or
 * undecodable NodeInfo, `handshake_failed` when the stream ends or fails) or
 * with the signal's reason; `stream` is not destroyed here.
 */
export function exchangeNodeInfo(stream: Duplex, ours: NodeInfo, signal: AbortSignal): Promise<NodeInfo> {
  return new Promise<NodeInfo>((resolve, reject) => {
    let buffered: Buffer = Buffer.alloc(0)
    let done = false
    const finish = (): void => {
      done = true
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('close', onClose)
      stream.off('error', onError)
      signal.removeEventListener('abort', onAbort)
      stream.pause()
    }
    const fail = (err: Error): void => {
      if (done) return
      finish()
      reject(err)
    }
    const onAbort = (): void => fail(abortErrorFor(signal))
    const onEnd = (): void => fail(new RejectedError('handshake_failed', 'the peer closed the stream before sending its NodeInfo'))
    const onClose = (): void => fail(new RejectedError('handshake_failed', 'the stream closed before the NodeInfo exchange completed'))
    const onError = (err: Error): void =>
      fail(new RejectedError('handshake_failed', `the stream failed during the NodeInfo exchange: ${err.message}`, { cause: err }))
    const onData = (chunk: Buffer): void => {
      if (done) return
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk])
      let split: { info: Uint8Array; rest: Uint8Array } | undefined
      try {
        split = splitMessage(buffered)
      } catch (err) {
        fail(new RejectedError('node_info_invalid', `cannot read the peer's NodeInfo: ${(err as Error).message}`, { cause: err }))
        return
      }
      if (split === undefined) return
      let decoded: NodeInfo
      try {
        decoded = decodeNodeInfo(split.info)
      } catch (err) {
        fail(new RejectedError('node_info_invalid', `cannot decode the peer's NodeInfo: ${(err as Error).message}`, { cause: err }))
        return
      }
      finish()
      // What follows is the peer's MConnection traffic: keep it for the next reader.
      if (split.rest.length > 0) stream.unshift(split.rest)
      resolve(decoded)
    }
    if (signal.aborted) {
      onAbort()
      return
    }
    signal.addEventListener('abort', onAbort, { once: true })
    stream.on('error', onError)
    stream.on('end', onEnd)
    stream.on('close', onClose)
    stream.on('data', onData)
    stream.write(encodeDelimited(encodeNodeInfo(ours)))
    stream.resume()
  })
}

/**
 * Splits `bytes` into the first length-delimited message and what follows,
 * or returns undefined while the message is incomplete. Throws as soon as
 * the length prefix is malformed or announces more than MAX_NODE_INFO_SIZE.
 */
function splitMessage(bytes: Buffer): { info: Uint8Array; rest: Buffer } | undefined {
  const prefix = readUvarint(bytes, 0)
  if (prefix === undefined) return undefined
  if (prefix.value > MAX_NODE_INFO_SIZE) throw new MessageTooLargeError(prefix.value, MAX_NODE_INFO_SIZE, 'NodeInfo')
  const end = prefix.length + prefix.value
  if (bytes.length < end) return undefined
  return { info: bytes.subarray(prefix.length, end), rest: bytes.subarray(end) }
}
