/*
 * Two MConnections over a TCP connection on 127.0.0.1, exchanging messages
 * on two channels. Run with `npx tsx examples/two-channels.ts` (after
 * `pnpm build`).
 */
import { once } from 'node:events'
import { createServer, connect, type Socket } from 'node:net'
import { pathToFileURL } from 'node:url'
import { MConnection, type ChannelDescriptor } from '@comet-p2p/mconnection'

const CONSENSUS = 0x20
const MEMPOOL = 0x30

const channels: ChannelDescriptor[] = [
  { id: CONSENSUS, priority: 10, sendQueueCapacity: 100 },
  { id: MEMPOOL, priority: 5, recvMessageCapacity: 1024 * 1024 }
]

export async function runExample(log: (line: string) => void = console.log): Promise<string[]> {
  // A connected pair of sockets.
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const accepted = once(server, 'connection') as Promise<[Socket]>
  const dialer = connect(port, '127.0.0.1')
  await once(dialer, 'connect')
  const [listener] = await accepted
  server.close()

  const received: string[] = []
  let remaining = 3
  let allArrived!: () => void
  const done = new Promise<void>((resolve) => (allArrived = resolve))
  const text = new TextDecoder()

  const alice = new MConnection(dialer, channels, {
    onReceive: (channelId, message) => {
      received.push(`alice got ${text.decode(message)} on 0x${channelId.toString(16)}`)
      if (--remaining === 0) allArrived()
    },
    onError: (error) => log(`alice stopped: ${error.code}`)
  })
  const bob = new MConnection(listener, channels, {
    // A receive handler may be async: the next message of the channel waits
    // for it, and reading pauses if too much piles up.
    onReceive: async (channelId, message) => {
      received.push(`bob got ${text.decode(message)} on 0x${channelId.toString(16)}`)
      if (channelId === CONSENSUS) await bob.send(CONSENSUS, new TextEncoder().encode(`ack ${text.decode(message)}`))
      if (--remaining === 0) allArrived()
    },
    onError: (error) => log(`bob stopped: ${error.code}`)
  })
  alice.start()
  bob.start()

  await alice.send(CONSENSUS, new TextEncoder().encode('vote'))
  alice.trySend(MEMPOOL, new TextEncoder().encode('tx'))
  await done
  received.sort()
  for (const line of received) log(line)
  log(`alice sent ${alice.status().sendMonitor.bytes} bytes`)

  // stop() sends whatever is still queued, then closes; bob sees the close.
  await alice.stop()
  await bob.stop()
  return received
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await runExample()
