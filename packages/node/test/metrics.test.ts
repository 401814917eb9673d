import { createServer, get, type IncomingMessage } from 'node:http'
import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { AbortError, InvalidArgumentError } from '@comet-p2p/types'
import { Registry, register } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { MetricsListenError, PrometheusMetrics, createPrometheusMetrics, serveMetrics } from '../src/index.js'

function request(url: string, method = 'GET'): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, method }, (res: IncomingMessage) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }))
    })
    req.on('error', reject)
  })
}

function sampleMetrics(): PrometheusMetrics {
  const metrics = createPrometheusMetrics()
  // The series the switch and transport register, as the reference names them.
  metrics.gauge({ name: 'peers', help: 'Number of peers.' }).set(undefined, 3)
  const received = metrics.counter({ name: 'peer_receive_bytes_total', help: 'Number of bytes received from a given peer.', labelNames: ['peer_id', 'chID'] })
  received.inc({ peer_id: 'abc', chID: '0x30' }, 100)
  metrics.histogram({ name: 'dial_seconds', help: 'Dial time.', buckets: [0.1, 1] }).observe(undefined, 0.5)
  return metrics
}

describe('PrometheusMetrics', () => {
  it('names series namespace_subsystem_name, as the reference', async () => {
    const text = await sampleMetrics().metrics()
    expect(text).toContain('# TYPE cometbft_p2p_peers gauge')
    expect(text).toContain('cometbft_p2p_peers 3')
    expect(text).toContain('cometbft_p2p_peer_receive_bytes_total{peer_id="abc",chID="0x30"} 100')
    expect(text).toContain('cometbft_p2p_dial_seconds_bucket{le="1"} 1')
  })

  it('takes a namespace and subsystem, leaving out empty parts', async () => {
    expect(new PrometheusMetrics({ namespace: 'mychain' }).fullName('peers')).toBe('mychain_p2p_peers')
    expect(new PrometheusMetrics({ namespace: '', subsystem: '' }).fullName('peers')).toBe('peers')
    expect(new PrometheusMetrics({ namespace: '' }).fullName('peers')).toBe('p2p_peers')
  })

  it('uses its own registry, or the one given', async () => {
    const registry = new Registry()
    const metrics = new PrometheusMetrics({ registry })
    metrics.counter({ name: 'x_total', help: 'x' }).inc()
    expect(await registry.metrics()).toContain('cometbft_p2p_x_total 1')
    expect((await createPrometheusMetrics().metrics()).trim()).toBe('')
    expect(register.getSingleMetric('cometbft_p2p_x_total')).toBeUndefined()
  })

  it('gauges go up and down; series can be removed', async () => {
    const metrics = createPrometheusMetrics()
    const pending = metrics.gauge({ name: 'peer_pending_send_bytes', help: 'p', labelNames: ['peer_id'] })
    pending.set({ peer_id: 'a' }, 10)
    pending.inc({ peer_id: 'a' }, 5)
    pending.dec({ peer_id: 'a' })
    pending.set({ peer_id: 'b' }, 1)
    expect(await metrics.metrics()).toContain('cometbft_p2p_peer_pending_send_bytes{peer_id="a"} 14')
    pending.remove({ peer_id: 'b' })
    expect(await metrics.metrics()).not.toContain('peer_id="b"')
  })

  it('returns the same metric for the same definition and refuses a conflicting one', () => {
    const metrics = createPrometheusMetrics()
    const a = metrics.counter({ name: 'c_total', help: 'h', labelNames: ['x', 'y'] })
    expect(metrics.counter({ name: 'c_total', help: 'h', labelNames: ['y', 'x'] })).toBe(a)
    expect(() => metrics.gauge({ name: 'c_total', help: 'h' })).toThrow(InvalidArgumentError)
    expect(() => metrics.counter({ name: 'c_total', help: 'h', labelNames: ['x'] })).toThrow(/already registered/)
  })

  it('turns prom-client failures into typed errors', () => {
    const metrics = createPrometheusMetrics()
    expect(() => metrics.counter({ name: 'bad-name', help: 'h' })).toThrow(InvalidArgumentError)
    const counter = metrics.counter({ name: 'n_total', help: 'h', labelNames: ['a'] })
    expect(() => counter.inc({ b: 1 })).toThrow(InvalidArgumentError)
    expect(() => counter.inc(undefined, -1)).toThrow(InvalidArgumentError)
  })
})

describe('serveMetrics', () => {
  it('serves /metrics on 127.0.0.1 port 0 and closes without leaks', async () => {
    const before = activeResources()
    const metrics = sampleMetrics()
    const server = await serveMetrics({ laddr: '127.0.0.1:0', registry: metrics })
    expect(server.address.host).toBe('127.0.0.1')
    expect(server.address.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.address.port}/metrics`)

    const ok = await request(server.url)
    expect(ok.status).toBe(200)
    expect(ok.type).toBe(metrics.contentType)
    expect(ok.body).toContain('cometbft_p2p_peers 3')
    const head = await request(server.url, 'HEAD')
    expect(head).toMatchObject({ status: 200, body: '' })
    expect((await request(`http://127.0.0.1:${server.address.port}/`)).status).toBe(404)
    expect((await request(server.url, 'POST')).status).toBe(405)

    await server.close()
    await server.close()
    expect(await waitForNoLeaks(before)).toEqual({})
  })

  it('answers 500 when collecting fails', async () => {
    const before = activeResources()
    const server = await serveMetrics({
      laddr: 'tcp://127.0.0.1:0',
      registry: { contentType: 'text/plain', metrics: () => Promise.reject(new Error('boom')) }
    })
    expect((await request(server.url)).status).toBe(500)
    await server.close()
    expect(await waitForNoLeaks(before)).toEqual({})
  })

  it('closes when the signal fires', async () => {
    const before = activeResources()
    const controller = new AbortController()
    const server = await serveMetrics({ laddr: '127.0.0.1:0', registry: createPrometheusMetrics(), signal: controller.signal })
    controller.abort()
    await server.close()
    expect(await waitForNoLeaks(before)).toEqual({})
    await expect(serveMetrics({ laddr: '127.0.0.1:0', registry: createPrometheusMetrics(), signal: controller.signal })).rejects.toBeInstanceOf(
      AbortError
    )
    expect(await waitForNoLeaks(before)).toEqual({})
  })

  it('reports an address in use as a MetricsListenError', async () => {
    const before = activeResources()
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    const err = await serveMetrics({ laddr: `127.0.0.1:${port}`, registry: createPrometheusMetrics() }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MetricsListenError)
    expect((err as MetricsListenError).systemCode).toBe('EADDRINUSE')
    expect((err as Error).message).toBe(`cannot serve metrics on 127.0.0.1:${port}: the address is already in use`)
    await new Promise<void>((resolve) => blocker.close(() => resolve()))
    expect(await waitForNoLeaks(before)).toEqual({})
  })

  it('rejects a malformed address', async () => {
    await expect(serveMetrics({ laddr: 'nonsense', registry: createPrometheusMetrics() })).rejects.toThrow(/invalid listen address "nonsense"/)
  })
})
