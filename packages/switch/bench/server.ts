/*
 * Upgrade benchmark server (run by run.ts in its own process): a TcpTransport
 * on 127.0.0.1 that upgrades every connection (secret connection + NodeInfo)
 * and closes it at once. Prints "READY <port> <id>".
 */
import { NodeKey } from '@comet-p2p/types'
import { TcpTransport } from '@comet-p2p/switch'
import { benchInfo } from './common.js'

const key = NodeKey.generate()
const transport = new TcpTransport({
  nodeKey: key,
  nodeInfo: benchInfo(key),
  maxConcurrentHandshakes: 1000,
  maxHandshakesPerIp: 1000
})
const addr = await transport.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`READY ${addr.port} ${key.id}\n`)
for (;;) {
  const conn = await transport.accept()
  transport.cleanup(conn)
}
