/**
 * Terminal chat between comet-p2p nodes:
 *
 *   pnpm --filter @comet-p2p/example-chat start -- --moniker alice
 *   pnpm --filter @comet-p2p/example-chat start -- --moniker bob --peer <address alice printed>
 *
 * Lines typed are sent to every peer; lines received are printed with the
 * sender's moniker. Ctrl-D or Ctrl-C leaves.
 */
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { createNode, createNodeFromHome, initHome, loadHome, NodeKeyNotFoundError, formatUserError, type NodeOptions, type P2PNode } from '@comet-p2p/node'
import { ChatReactor } from './chat-reactor.js'

const { values } = parseArgs({
  // `pnpm start -- --flag` passes the `--` on: skip it.
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    home: { type: 'string' },
    peer: { type: 'string', multiple: true },
    laddr: { type: 'string', default: 'tcp://127.0.0.1:0' },
    moniker: { type: 'string' },
    'chain-id': { type: 'string', default: 'comet-p2p-chat' }
  }
})

const chat = new ChatReactor((peer, line) => console.log(`${peer.nodeInfo.moniker}: ${line}`))
const settings = {
  chainId: values['chain-id'],
  moniker: values.moniker,
  // A chat among friends: addresses on 127.0.0.1 or a LAN are fine.
  p2p: { laddr: values.laddr, persistentPeers: values.peer ?? [], addrBookStrict: false, allowDuplicateIp: true }
} satisfies NodeOptions
const parts = { reactors: { chat }, switch: { dialRandomizerIntervalMs: 100 } }

/** A node from `--home` (created on first use, so the identity is kept), or one in memory. */
async function makeNode(): Promise<P2PNode> {
  if (values.home === undefined) return createNode({ ...settings, moniker: settings.moniker ?? `anon-${process.pid}`, ...parts })
  try {
    await loadHome(values.home)
  } catch (err) {
    if (!(err instanceof NodeKeyNotFoundError)) throw err
    await initHome({ home: values.home, chainId: settings.chainId, moniker: settings.moniker })
  }
  return createNodeFromHome(values.home, settings, parts)
}

let node: P2PNode
try {
  node = await makeNode()
  await node.start()
} catch (err) {
  console.error(`Error: ${formatUserError(err)}`)
  process.exit(1)
}

console.log(`listening on ${node.netAddress().toString()} as ${node.config.moniker}`)
node.on('peer:added', (peer) => console.log(`* ${peer.nodeInfo.moniker} joined (${peer.id.slice(0, 8)})`))
node.on('peer:removed', ({ peer }) => console.log(`* ${peer.nodeInfo.moniker} left`))

const input = createInterface({ input: process.stdin, terminal: false })
input.on('line', (line) => {
  if (line.trim() === '') return
  chat.say(line).then(
    (count) => {
      if (count === 0) console.log('* nobody heard that: no peer yet')
    },
    (err: unknown) => console.error(`Error: ${formatUserError(err)}`)
  )
})

let leaving = false
async function leave(): Promise<void> {
  if (leaving) return
  leaving = true
  input.close()
  await node.stop()
  console.log('* bye')
}
input.on('close', () => void leave())
process.once('SIGINT', () => void leave())
process.once('SIGTERM', () => void leave())
