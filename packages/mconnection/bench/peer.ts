/*
 * The far end of the benchmarks, run as a separate process by run.ts:
 *   peer.ts <sink|echo> <plain|secret> <flushThrottleMs>
 * Listens on 127.0.0.1 (prints "PORT <n>"), and for each connection:
 * - sink: counts messages; an empty message (the end of a run: channel
 *   order puts it after all the data) is answered with the count, in decimal;
 * - echo: sends every message back.
 */
import { createServer } from 'node:net'
import type { MConnection } from '@comet-p2p/mconnection'
import { CHANNEL, connection, transportOver } from './common.js'

const [mode, transport, throttle] = process.argv.slice(2)
const secure = transport === 'secret'
const flushThrottleMs = Number(throttle ?? 10)

const server = createServer((socket) => {
  void (async () => {
    const stream = await transportOver(socket, secure)
    let conn: MConnection | undefined = undefined
    let count = 0
    const reply = (message: Uint8Array): void => {
      if (!conn?.trySend(CHANNEL, message)) void conn?.send(CHANNEL, message)
    }
    conn = connection(stream, flushThrottleMs, (_channelId, message) => {
      if (mode === 'echo') reply(message)
      else if (message.length > 0) count++
      else {
        reply(new TextEncoder().encode(String(count)))
        count = 0
      }
    })
    conn.start()
  })().catch((err: unknown) => {
    process.stderr.write(`peer: ${String(err)}\n`)
    socket.destroy()
  })
})
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address !== null && typeof address === 'object') process.stdout.write(`PORT ${address.port}\n`)
})
