// The far end of the cross-process benchmarks, started by run.ts:
//   tsx bench/peer.ts <sink|handshake> <backend> [NodeKey|node-crypto]
// It listens on 127.0.0.1, reports its port over IPC, and for every
// connection either counts the bytes it receives (sink: reports bytes and
// seconds from first byte to end) or only completes the handshake.
import { createServer } from 'node:net'
import { performance } from 'node:perf_hooks'
import { makeSecretConnection, type BackendName } from '@comet-p2p/secret-connection'
import { makeIdentity, type IdentityKind } from './identity.js'

const mode = process.argv[2]
const backend = process.argv[3] as BackendName
const identity = makeIdentity((process.argv[4] ?? 'NodeKey') as IdentityKind)

function report(message: object): void {
  process.send?.(message)
}

const server = createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => undefined)
  makeSecretConnection(socket, identity, { backend }).then(
    (conn) => {
      conn.on('error', () => undefined)
      if (mode === 'handshake') {
        // The dialer hangs up after its handshake; follow it.
        conn.resume()
        return
      }
      let bytes = 0
      let start = 0
      conn.on('data', (chunk: Buffer) => {
        if (bytes === 0) start = performance.now()
        bytes += chunk.length
      })
      conn.on('end', () => {
        report({ type: 'result', bytes, seconds: (performance.now() - start) / 1000 })
        conn.destroy()
      })
    },
    () => undefined
  )
})

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  report({ type: 'ready', port: address.port })
})

process.on('disconnect', () => {
  server.close()
  process.exit(0)
})
