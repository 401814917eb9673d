import { connect, type Socket } from 'node:net'
import { TimeoutError, abortErrorFor, deadlineSignal, type NetAddress } from '@comet-p2p/types'
import { DialError, TransportClosedError } from '../errors.js'
import { linkSignals } from '../signals.js'

const ignore = (): void => undefined

/**
 * Opens a TCP connection to `addr` within `timeoutMs`. Rejects with a
 * `DialError` (refused, unreachable, or `timedOut`), with an `AbortError`
 * when `signal` fires, or with `TransportClosedError` when `closing` fires.
 * The socket is destroyed and the timer cleared on every failure.
 */
export function connectSocket(
  addr: NetAddress,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  closing: AbortSignal
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const parent = linkSignals(signal, closing)
    const deadline = deadlineSignal(timeoutMs, parent.signal, `dial ${addr.toString()}`)
    const socket = connect({ host: addr.ip, port: addr.port, noDelay: true })
    // Kept for the socket's whole life: a late error must never go unhandled.
    socket.on('error', ignore)
    const settle = (): void => {
      deadline.clear()
      parent.clear()
      deadline.signal.removeEventListener('abort', onAbort)
      socket.off('connect', onConnect)
      socket.off('error', onError)
    }
    const onConnect = (): void => {
      settle()
      resolve(socket)
    }
    const onError = (err: Error): void => {
      settle()
      socket.destroy()
      reject(new DialError(addr, err.message, { cause: err }))
    }
    const onAbort = (): void => {
      settle()
      socket.destroy()
      const reason = abortErrorFor(deadline.signal)
      if (signal?.aborted === true) reject(abortErrorFor(signal))
      else if (reason instanceof TimeoutError) reject(new DialError(addr, reason.message, { cause: reason, timedOut: true }))
      else reject(new TransportClosedError())
    }
    if (deadline.signal.aborted) {
      onAbort()
      return
    }
    deadline.signal.addEventListener('abort', onAbort, { once: true })
    socket.once('connect', onConnect)
    socket.once('error', onError)
  })
}
