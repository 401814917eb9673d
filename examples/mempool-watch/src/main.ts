/**
 * Prints every transaction gossiped to us on a CometBFT network:
 *
 *   pnpm --filter @comet-p2p/example-mempool-watch start -- --chain-id cosmoshub-4 --seeds id@host:26656
 */
import { createHash } from 'node:crypto'
import { parseArgs } from 'node:util'
import { createLogger, createNode, formatUserError, type P2PNode } from '@comet-p2p/node'
import { HeightMirrorReactor, MempoolWatchReactor } from './reactors.js'

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    'chain-id': { type: 'string' },
    seeds: { type: 'string', default: '' },
    'persistent-peers': { type: 'string', default: '' },
    laddr: { type: 'string', default: 'tcp://0.0.0.0:26656' },
    moniker: { type: 'string', default: 'mempool-watch' },
    private: { type: 'boolean', default: false },
    log_level: { type: 'string', default: 'none' }
  }
})

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '')

/** Hashes already printed (a transaction arrives from several peers); the oldest are forgotten past 100 000. */
const seen = new Set<string>()

/** `tx <SHA-256, as CometBFT shows tx hashes> <size> from <peer>: <hex, cut after 64 bytes>` */
function printTx(tx: Uint8Array, from: string): void {
  const hash = createHash('sha256').update(tx).digest('hex').toUpperCase()
  if (seen.has(hash)) return
  seen.add(hash)
  if (seen.size > 100_000) seen.delete(seen.values().next().value!)
  const hex = Buffer.from(tx.subarray(0, 64)).toString('hex')
  console.log(`tx ${hash} ${tx.length} bytes from ${from}: ${hex}${tx.length > 64 ? '…' : ''}`)
}

if (values['chain-id'] === undefined) {
  console.error('Error: --chain-id is required (the chain_id of the network to watch)')
  process.exit(2)
}

let node: P2PNode
try {
  node = createNode({
    chainId: values['chain-id'],
    moniker: values.moniker,
    p2p: {
      laddr: values.laddr,
      seeds: list(values.seeds),
      persistentPeers: list(values['persistent-peers']),
      // --private: a local or test network, where addresses are not routable and share IPs.
      addrBookStrict: !values.private,
      allowDuplicateIp: values.private
    },
    reactors: {
      mempool: new MempoolWatchReactor((tx, peer) => printTx(tx, peer.nodeInfo.moniker)),
      consensus: new HeightMirrorReactor()
    },
    logger: createLogger({ level: values.log_level })
  })
  await node.start()
} catch (err) {
  console.error(`Error: ${formatUserError(err)}`)
  process.exit(1)
}

console.log(`watching ${values['chain-id']} as ${node.netAddress().toString()}`)
node.on('peer:added', (peer) => console.log(`* connected to ${peer.nodeInfo.moniker} (${peer.id.slice(0, 8)}, ${peer.nodeInfo.version})`))
node.on('peer:removed', ({ peer }) => console.log(`* ${peer.nodeInfo.moniker} disconnected`))

const stop = (): void => {
  node.stop().then(
    () => console.log('* stopped'),
    (err: unknown) => console.error(`Error: ${formatUserError(err)}`)
  )
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
