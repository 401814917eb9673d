import type { Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { MConnection, UnknownChannelError } from '@comet-p2p/mconnection'
import { NodeKey } from '@comet-p2p/types'
import { TcpTransport, type PeerRemovedEvent, type RejectionReason, type Switch } from '../src/index.js'
import { listeningSwitch, nodeInfoFor, rawConnect, waitFor } from './helpers.js'

/** Waits until none of the sockets is open any more (the switch hung up on all of them). */
async function allClosed(sockets: Socket[]): Promise<void> {
  await waitFor(() => sockets.every((s) => s.closed), 10_000, 'the switch to close every connection')
}

function reasons(sw: Switch): RejectionReason[] {
  const seen: RejectionReason[] = []
  sw.on('peer:rejected', (e) => seen.push(e.error.reason))
  return seen
}

describe('misbehaving connections leave nothing behind', () => {
  it('garbage, a stalled handshake and 500 simultaneous connections: every socket and timer released', async () => {
    const initial = activeResources()
    const { sw } = await listeningSwitch({ config: { handshakeTimeoutMs: 300 } })
    await sw.start()
    const port = sw.netAddress()!.port
    const seen = reasons(sw)
    const baseline = activeResources()

    // Garbage bytes.
    const garbage = await rawConnect(port)
    garbage.write(Buffer.alloc(300, 0xab))
    // A handshake that stops after a well-formed ephemeral key.
    const stalled = await rawConnect(port)
    stalled.write(Buffer.concat([Buffer.from([0x22, 0x0a, 0x20]), Buffer.alloc(32, 9)]))
    await allClosed([garbage, stalled])
    expect(seen.sort()).toEqual(['handshake_failed', 'timeout'])

    // 500 connections at once, all silent: most refused at once, the rest time out.
    const flood = await Promise.all(Array.from({ length: 500 }, () => rawConnect(port)))
    await allClosed(flood)
    const refusedAtOnce = seen.filter((r) => r === 'too_many_from_ip' || r === 'too_many_connections')
    expect(refusedAtOnce.length).toBeGreaterThan(400)
    expect(seen.length).toBe(502)
    expect(await waitForNoLeaks(baseline)).toEqual({})

    // Still healthy: a real peer connects.
    const other = await listeningSwitch()
    await other.sw.start()
    await other.sw.dialPeerWithAddress(sw.netAddress()!)
    await waitFor(() => sw.peers().size === 1)
    await other.sw.stop()
    await sw.stop()
    expect(await waitForNoLeaks(initial)).toEqual({})
  })

  it('stops a peer that sends on a channel no reactor registered', async () => {
    const initial = activeResources()
    const { sw, key } = await listeningSwitch()
    await sw.start()
    // A hand-made peer announcing 0x77 (shared) and 0x79 (unknown to the switch).
    const mkey = NodeKey.generate()
    const client = new TcpTransport({ nodeKey: mkey, nodeInfo: nodeInfoFor(mkey, { channels: Uint8Array.of(0x77, 0x79) }) })
    const conn = await client.dial(sw.netAddress()!)
    expect(conn.id).toBe(key.id)
    const mconn = new MConnection(conn.stream, [{ id: 0x79, priority: 1 }], { onReceive: () => undefined, onError: () => undefined })
    mconn.start()
    const removed = new Promise<PeerRemovedEvent>((resolve) => sw.once('peer:removed', resolve))
    await waitFor(() => sw.peers().size === 1)
    await mconn.send(0x79, Uint8Array.of(1, 2, 3))
    const event = await removed
    expect(event.peer.id).toBe(mkey.id)
    expect(event.reason).toBeInstanceOf(UnknownChannelError)
    mconn.destroy()
    client.cleanup(conn)
    await client.close()
    await sw.stop()
    expect(await waitForNoLeaks(initial)).toEqual({})
  })
})
