import { afterEach, describe, expect, it, vi } from 'vitest'
import { NetAddress, NetAddressInvalidPortError, NodeKey } from '@comet-p2p/types'
import { Switch, defaultSwitchConfig, reconnectSchedule, type SwitchAddrBook, type SwitchConfigInput } from '../src/index.js'
import { FakeBook } from './fake-book.js'
import { FakeTransport } from './fake-transport.js'
import { RecordingReactor } from './helpers.js'

const INFO = {
  protocolVersion: { p2p: 8, block: 11, app: 0 },
  listenAddr: '',
  network: 'test-chain',
  version: '',
  moniker: 'fake',
  other: { txIndex: '', rpcAddress: '' }
}

async function fakeSwitch(config: SwitchConfigInput, random: () => number, extra: { addrBook?: SwitchAddrBook; lookup?: (host: string) => Promise<string[]> } = {}) {
  const key = NodeKey.generate()
  const transport = new FakeTransport(key)
  await transport.listen({ host: '10.0.0.1', port: 26656 })
  const sw = new Switch({ nodeKey: key, nodeInfo: INFO, transport, config, random, addrBook: extra.addrBook, lookup: extra.lookup })
  sw.addReactor('r', new RecordingReactor())
  return { sw, transport, key }
}

const peerAddr = (i: number, id = NodeKey.generate().id): string => `${id}@10.1.0.${i}:26656`

afterEach(() => {
  vi.useRealTimers()
})

describe('reconnectSchedule', () => {
  it('follows the reference: 20 tries 5 s apart, then 10 with 3^n s backoff, plus jitter', () => {
    const pauses = [...reconnectSchedule(defaultSwitchConfig, () => 0)]
    expect(pauses).toHaveLength(30)
    expect(pauses[0]).toBe(0)
    expect(pauses.slice(1, 20)).toEqual(new Array(19).fill(5000))
    // The first backoff attempt follows the last interval sleep and 3^0 s.
    expect(pauses[20]).toBe(5000 + 1000)
    expect(pauses.slice(21)).toEqual([3, 9, 27, 81, 243, 729, 2187, 6561, 19683].map((n) => n * 1000))
  })

  it('adds a jitter below dialRandomizerIntervalMs to every sleep', () => {
    const pauses = [...reconnectSchedule(defaultSwitchConfig, () => 0.5)]
    expect(pauses[1]).toBe(5000 + 1500)
    expect(pauses[20]).toBe(5000 + 1500 + 1000 + 1500)
    expect(pauses[21]).toBe(3000 + 1500)
  })

  it('caps every sleep and never gives up with persistentPeersMaxDialPeriodMs', () => {
    const schedule = reconnectSchedule({ ...defaultSwitchConfig, persistentPeersMaxDialPeriodMs: 4000 }, () => 0)
    const first = Array.from({ length: 100 }, () => schedule.next())
    expect(first.every((step) => step.done !== true)).toBe(true)
    const pauses = first.map((step) => step.value as number)
    expect(pauses[1]).toBe(4000)
    expect(pauses[20]).toBe(4000 + 1000)
    expect(pauses.slice(22)).toEqual(new Array(78).fill(4000))
  })
})

describe('dialPeersAsync', () => {
  it('adds the addresses to the address book, then dials each after a random delay', async () => {
    vi.useFakeTimers()
    const book = new FakeBook()
    const privateId = NodeKey.generate().id
    const { sw, transport, key } = await fakeSwitch({ privatePeerIds: [privateId] }, () => 0.5, { addrBook: book })
    await sw.start()
    const addrs = [peerAddr(1), peerAddr(2), peerAddr(3, privateId), `${key.id}@10.0.0.9:26656`]
    await sw.dialPeersAsync(addrs)
    const ours = sw.netAddress()!.toString()
    expect(book.calls).toEqual([
      `private ${privateId}`,
      `add ${addrs[0]} from ${ours}`,
      `add ${addrs[1]} from ${ours}`,
      'save'
    ])
    expect(sw.numPeers().dialing).toBe(0)
    await vi.advanceTimersByTimeAsync(1499)
    expect(transport.dials).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    // Our own address is skipped; the others are dialed (and fail).
    expect(transport.dials.map((d) => d.addr.toString()).sort()).toEqual(addrs.slice(0, 3).sort())
    await sw.stop()
  })

  it('dials in an order shuffled by the injected randomness', async () => {
    vi.useFakeTimers()
    const values = [0, 0, 0, 0.1, 0.2, 0.3]
    const { sw, transport } = await fakeSwitch({}, () => values.shift() ?? 0)
    await sw.start()
    const addrs = [peerAddr(1), peerAddr(2), peerAddr(3)]
    await sw.dialPeersAsync(addrs)
    await vi.advanceTimersByTimeAsync(3000)
    // Fisher–Yates with 0, 0 rotates [1, 2, 3] to [2, 3, 1]; delays 300, 600, 900 ms keep that order.
    expect(transport.dials.map((d) => d.addr.toString())).toEqual([addrs[1], addrs[2], addrs[0]])
    await sw.stop()
  })

  it('rejects a malformed address without dialing anything, tolerating lookup failures', async () => {
    const lookup = async (): Promise<string[]> => {
      throw new Error('NXDOMAIN')
    }
    const { sw, transport } = await fakeSwitch({}, () => 0, { lookup })
    await sw.start()
    await expect(sw.dialPeersAsync([peerAddr(1), `${NodeKey.generate().id}@10.1.0.2:99999`])).rejects.toBeInstanceOf(
      NetAddressInvalidPortError
    )
    await sw.dialPeersAsync([`${NodeKey.generate().id}@unknown.example:26656`])
    await sw.stop()
    expect(transport.dials).toHaveLength(0)
  })

  it('records our own address in the address book when dialing ourselves', async () => {
    const book = new FakeBook()
    const { sw, key } = await fakeSwitch({}, () => 0, { addrBook: book })
    await sw.start()
    const self = NetAddress.fromParts(key.id, '10.0.0.7', 26656)
    await expect(sw.dialPeerWithAddress(self)).rejects.toMatchObject({ code: 'ERR_REJECTED', reason: 'self' })
    expect(book.calls).toEqual([`remove ${self.toString()}`, `ours ${self.toString()}`])
    await sw.stop()
  })
})

describe('persistent peers', () => {
  it('redials a failing persistent peer on the reference schedule, then gives up', async () => {
    vi.useFakeTimers()
    const target = peerAddr(5)
    const { sw, transport } = await fakeSwitch({ persistentPeers: [target] }, () => 0)
    const t0 = Date.now()
    await sw.start()
    await vi.advanceTimersByTimeAsync(95_000)
    // The start-up dial, an immediate redial, then 19 more 5 s apart...
    expect(transport.dials.map((d) => d.at - t0)).toEqual([0, 0, ...Array.from({ length: 19 }, (_, i) => (i + 1) * 5000)])
    // ...then backoff: 5 s + 1 s, 3 s, 9 s, 27 s...
    await vi.advanceTimersByTimeAsync(45_000)
    expect(transport.dials.slice(21).map((d) => d.at - t0)).toEqual([101_000, 104_000, 113_000, 140_000])
    await vi.advanceTimersByTimeAsync(40_000_000)
    expect(transport.dials).toHaveLength(31)
    const last = transport.dials.map((d) => d.at)
    expect(last[30]! - last[29]!).toBe(19_683_000)
    expect(sw.isPeerPersistent(NetAddress.fromString(target))).toBe(true)
    await sw.stop()
  })

  it('resolves a persistent peer given by host name again before every redial', async () => {
    vi.useFakeTimers()
    const id = NodeKey.generate().id
    let n = 0
    const lookup = async (host: string): Promise<string[]> => {
      expect(host).toBe('peer.example')
      n++
      return [`10.2.0.${n}`]
    }
    const { sw, transport } = await fakeSwitch({ persistentPeers: `${id}@peer.example:26656`, reconnectIntervalMs: 10 }, () => 0, {
      lookup
    })
    await sw.start()
    await vi.advanceTimersByTimeAsync(35)
    const ips = transport.dials.map((d) => d.addr.ip)
    expect(ips.slice(0, 4)).toEqual(['10.2.0.1', '10.2.0.2', '10.2.0.3', '10.2.0.4'])
    await sw.stop()
  })

  it('keeps trying a persistent peer whose name does not resolve yet', async () => {
    vi.useFakeTimers()
    const id = NodeKey.generate().id
    let calls = 0
    const lookup = async (): Promise<string[]> => {
      calls++
      if (calls < 3) throw new Error('SERVFAIL')
      return ['10.3.0.1']
    }
    const { sw, transport } = await fakeSwitch({ persistentPeers: [`${id}@late.example:26656`], reconnectIntervalMs: 10 }, () => 0, {
      lookup
    })
    await sw.start()
    await vi.advanceTimersByTimeAsync(25)
    expect(transport.dials.map((d) => d.addr.ip)[0]).toBe('10.3.0.1')
    await sw.stop()
  })
})
