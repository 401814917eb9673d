import { afterEach, describe, expect, it } from 'vitest'
import { createNode, createPrometheusMetrics, type P2PNode } from '../src/index.js'
import { CHAT, ChatReactor, localOptions, stopAll, waitFor } from './helpers.js'

let nodes: P2PNode[] = []

afterEach(async () => {
  await stopAll(nodes)
  nodes = []
})

function value(text: string, series: RegExp): number {
  const line = text.split('\n').find((l) => series.test(l))
  if (line === undefined) throw new Error(`no series ${series} in:\n${text}`)
  return Number(line.slice(line.lastIndexOf(' ') + 1))
}

describe('metrics', () => {
  it('are served under the reference names while the node runs', async () => {
    const alice = createNode(
      localOptions('alice', {
        instrumentation: { prometheus: true, prometheusListenAddr: '127.0.0.1:0' },
        reactors: { chat: new ChatReactor() },
        switch: { metricsIntervalMs: 20 }
      })
    )
    nodes.push(alice)
    await alice.start()
    const url = alice.metricsUrl
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
    const bobChat = new ChatReactor()
    const bob = createNode(localOptions('bob', { p2p: { persistentPeers: [alice.netAddress().toString()] }, reactors: { chat: bobChat } }))
    nodes.push(bob)
    await bob.start()
    await waitFor(() => alice.peers().length === 1, 'bob to connect')
    const peer = alice.peers()[0]!
    expect(peer.trySend(CHAT, new TextEncoder().encode('hello'))).toBe(true)
    expect(await peer.send(CHAT, new TextEncoder().encode('again'))).toBe(true)
    await waitFor(() => bobChat.heard.length === 2, 'the messages')
    await new Promise((resolve) => setTimeout(resolve, 60))

    const response = await fetch(url!)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await response.text()
    const bobId = bob.id
    expect(value(text, /^cometbft_p2p_peers /)).toBe(1)
    expect(value(text, new RegExp(`^cometbft_p2p_peer_send_bytes_total\\{.*peer_id="${bobId}".*chID="0x77"`))).toBeGreaterThan(10)
    expect(value(text, new RegExp(`^cometbft_p2p_peer_receive_bytes_total\\{.*peer_id="${bobId}"`))).toBeGreaterThan(0)
    expect(text).toMatch(new RegExp(`^cometbft_p2p_peer_pending_send_bytes\\{peer_id="${bobId}"\\} \\d+`, 'm'))
    expect(value(text, /^cometbft_p2p_messages_sent_total\{message_type="chat"\}/)).toBe(2)
    expect(value(text, /^cometbft_p2p_message_send_bytes_total\{message_type="chat"\}/)).toBe(10)
    expect(text).toMatch(/^# TYPE cometbft_p2p_message_receive_bytes_total counter$/m)
    expect(text).toMatch(/^cometbft_p2p_pex_messages_(sent|received)_total/m)

    await alice.stop()
    expect(alice.metricsUrl).toBeUndefined()
    await expect(fetch(url!)).rejects.toThrow()
  })

  it('go to a registry given, with its namespace', async () => {
    const metrics = createPrometheusMetrics({ namespace: 'custom' })
    const node = createNode(localOptions('solo', { metrics }))
    nodes.push(node)
    await node.start()
    expect(node.metrics).toBe(metrics)
    expect(node.metricsUrl).toBeUndefined()
    expect(await metrics.metrics()).toMatch(/^custom_p2p_peers 0$/m)
  })
})
