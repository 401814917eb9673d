import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { activeResources, duplexPair, waitForNoLeaks } from '../src/index.js'

describe('duplexPair', () => {
  it('carries bytes both ways and propagates end', async () => {
    const [a, b] = duplexPair()
    const got: Buffer[] = []
    b.on('data', (c: Buffer) => got.push(c))
    a.end(Buffer.from('hello'))
    await once(b, 'end')
    expect(Buffer.concat(got).toString()).toBe('hello')
    b.destroy()
  })

  it('applies backpressure when the reader stops', async () => {
    const [a, b] = duplexPair({ highWaterMark: 1024 })
    let writes = 0
    while (a.write(Buffer.alloc(512))) writes++
    expect(writes).toBeLessThan(10)
    b.resume()
    await once(a, 'drain')
    a.destroy()
  })

  it('destroying one end destroys the other', async () => {
    const [a, b] = duplexPair()
    a.destroy()
    await once(b, 'close')
    expect(b.destroyed).toBe(true)
  })
})

describe('waitForNoLeaks', () => {
  it('reports a timer that stays and forgets one that is cleared', async () => {
    const before = activeResources()
    const timer = setTimeout(() => undefined, 60_000)
    expect(await waitForNoLeaks(before, 50)).toEqual({ Timeout: 1 })
    clearTimeout(timer)
    expect(await waitForNoLeaks(before, 50)).toEqual({})
  })
})

describe('RecordingMetrics', () => {
  it('records counters, gauges and removals by label set', async () => {
    const { RecordingMetrics } = await import('../src/index.js')
    const metrics = new RecordingMetrics({ strict: true })
    const counter = metrics.counter({ name: 'sent_total', help: 'h', labelNames: ['peer', 'ch'] })
    counter.inc({ ch: 1, peer: 'a' })
    counter.inc({ peer: 'a', ch: 1 }, 2)
    expect(metrics.get('sent_total', { peer: 'a', ch: 1 })).toBe(3)
    const gauge = metrics.gauge({ name: 'peers', help: 'h', labelNames: ['dir'] })
    gauge.set({ dir: 'in' }, 4)
    gauge.dec({ dir: 'in' })
    expect(metrics.byLabel('peers', 'dir')).toEqual({ in: 3 })
    gauge.remove({ dir: 'in' })
    expect(metrics.get('peers', { dir: 'in' })).toBeUndefined()
    expect(metrics.value('peers', { dir: 'in' })).toBe(0)
    expect(() => metrics.counter({ name: 'sent_total', help: 'h' })).toThrow(/twice/)
  })
})
