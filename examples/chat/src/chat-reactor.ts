import { BaseReactor, type ChannelDescriptor, type Envelope, type Peer } from '@comet-p2p/node'

/** The chat channel: any byte that no CometBFT reactor uses. */
export const CHAT_CHANNEL = 0x77

/** Longest line accepted, in bytes. */
export const MAX_LINE_BYTES = 4096

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * A chat protocol in a few lines: each message is one UTF-8 line, sent to
 * every connected peer. What arrives is handed to `onLine` with the
 * sender's moniker (from its NodeInfo).
 */
export class ChatReactor extends BaseReactor {
  readonly #onLine: (from: Peer, line: string) => void

  constructor(onLine: (from: Peer, line: string) => void) {
    super('chat')
    this.#onLine = onLine
  }

  override getChannels(): ChannelDescriptor[] {
    return [{ id: CHAT_CHANNEL, priority: 1, sendQueueCapacity: 100, recvMessageCapacity: MAX_LINE_BYTES }]
  }

  override receive({ peer, message }: Envelope): void {
    this.#onLine(peer, decoder.decode(message))
  }

  /** Sends `line` to every peer that speaks chat; resolves with how many got it. */
  async say(line: string): Promise<number> {
    const bytes = encoder.encode(line).subarray(0, MAX_LINE_BYTES)
    const results = await this.switch.broadcast(CHAT_CHANNEL, bytes)
    return results.filter((result) => result.ok).length
  }
}
