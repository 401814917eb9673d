import { BaseReactor, type ChannelDescriptor, type Envelope } from '@comet-p2p/switch'

/** The demo's chat channel. */
export const DEMO_CHAT_CHANNEL = 0x77

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A tiny chat protocol: every message is UTF-8 text sent to every peer. Counts what goes through. */
export class DemoChatReactor extends BaseReactor {
  /** Messages queued for peers. */
  sent = 0
  /** Messages received. */
  received = 0
  /** The last message received, and from whom. */
  lastHeard: { from: string; text: string } | undefined

  constructor() {
    super('chat')
  }

  override getChannels(): ChannelDescriptor[] {
    return [{ id: DEMO_CHAT_CHANNEL, priority: 1, sendQueueCapacity: 100, recvMessageCapacity: 4096 }]
  }

  override receive({ peer, message }: Envelope): void {
    this.received++
    this.lastHeard = { from: peer.nodeInfo.moniker, text: decoder.decode(message) }
  }

  /** Sends `text` to every connected peer that has room; returns how many got it. */
  say(text: string): number {
    if (!this.hasSwitch || !this.switch.isRunning) return 0
    const bytes = encoder.encode(text)
    let count = 0
    for (const peer of this.switch.peers().list()) if (peer.trySend(DEMO_CHAT_CHANNEL, bytes)) count++
    this.sent += count
    return count
  }
}
