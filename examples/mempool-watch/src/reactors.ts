import { BaseReactor, type ChannelDescriptor, type Envelope, type Peer } from '@comet-p2p/node'
import { CONSENSUS_STATE_CHANNEL, MEMPOOL_CHANNEL, decodeNewRoundStep, decodeTxsMessage, encodeNewRoundStep } from './messages.js'

/** The reference `mempool.max_tx_bytes` default. */
export const MAX_TX_BYTES = 1_048_576

/** Size of a `Message` holding one transaction of `MAX_TX_BYTES`: what the reference accepts on the channel. */
const MAX_MEMPOOL_MESSAGE = 1 + 3 + (1 + 3 + MAX_TX_BYTES)

/**
 * Receives the transactions peers gossip on the mempool channel (0x30) and
 * hands each to `onTx`. Sends nothing: the watcher has no mempool. A
 * message that does not decode stops that peer.
 */
export class MempoolWatchReactor extends BaseReactor {
  readonly #onTx: (tx: Uint8Array, from: Peer) => void

  constructor(onTx: (tx: Uint8Array, from: Peer) => void) {
    super('mempool')
    this.#onTx = onTx
  }

  override getChannels(): ChannelDescriptor[] {
    return [{ id: MEMPOOL_CHANNEL, priority: 5, sendQueueCapacity: 1, recvMessageCapacity: MAX_MEMPOOL_MESSAGE }]
  }

  override receive({ peer, message }: Envelope): void {
    for (const tx of decodeTxsMessage(message)) this.#onTx(tx, peer)
  }
}

const HEIGHT_KEY = 'mempool-watch:height'

/**
 * CometBFT gossips a transaction only to peers whose consensus height (from
 * their `NewRoundStep` messages on channel 0x20) is at least the height it
 * saw the transaction at, minus one. The watcher runs no consensus, so it
 * tells each peer the height that peer announced, which keeps it "caught
 * up". Every other consensus message is ignored.
 */
export class HeightMirrorReactor extends BaseReactor {
  constructor() {
    super('consensus-height')
  }

  override getChannels(): ChannelDescriptor[] {
    return [{ id: CONSENSUS_STATE_CHANNEL, priority: 6, sendQueueCapacity: 100, recvMessageCapacity: 1_048_576 }]
  }

  override receive({ peer, message }: Envelope): void {
    let step
    try {
      step = decodeNewRoundStep(message)
    } catch {
      return // not ours to judge: we decode only NewRoundStep
    }
    if (step === undefined) return
    const told = peer.get(HEIGHT_KEY)
    if (typeof told === 'number' && told >= step.height) return
    // Round 0, step 1 (NewHeight); the peer's own last commit round is valid for its height.
    const sent = peer.trySend(
      CONSENSUS_STATE_CHANNEL,
      encodeNewRoundStep({ height: step.height, round: 0, step: 1, secondsSinceStartTime: 0, lastCommitRound: step.lastCommitRound })
    )
    if (sent) peer.set(HEIGHT_KEY, step.height)
  }
}
