import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { defaultSwitchConfig, reconnectSchedule } from '../src/index.js'
import { ConnSet } from '../src/transport/conn-set.js'
import { AcceptQueue } from '../src/transport/accept-queue.js'
import { shuffle } from '../src/dialing.js'

describe('ConnSet (model-based)', () => {
  const ips = ['10.0.0.1', '10.0.0.2', '::1']
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), ip: fc.constantFrom(...ips), port: fc.integer({ min: 1, max: 3 }), owner: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant('remove' as const), ip: fc.constantFrom(...ips), port: fc.integer({ min: 1, max: 3 }), owner: fc.integer({ min: 0, max: 3 }) })
  )

  it('matches a map of remote address to owner, and counts per IP', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const owners = [{}, {}, {}, {}]
        const set = new ConnSet()
        const model = new Map<string, { ip: string; owner: number }>()
        for (const o of ops) {
          const remote = `${o.ip}:${o.port}`
          if (o.kind === 'add') {
            const added = set.add(remote, o.ip, owners[o.owner]!)
            expect(added).toBe(!model.has(remote))
            if (added) model.set(remote, { ip: o.ip, owner: o.owner })
          } else {
            set.remove(remote, owners[o.owner]!)
            if (model.get(remote)?.owner === o.owner) model.delete(remote)
          }
          expect(set.size).toBe(model.size)
          for (const ip of ips) {
            const count = [...model.values()].filter((e) => e.ip === ip).length
            expect(set.countIp(ip)).toBe(count)
            expect(set.hasIp(ip)).toBe(count > 0)
          }
        }
      })
    )
  })
})

describe('AcceptQueue', () => {
  it('hands every item out exactly once, in order, and calls onLeave once per item', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 40 }), async (steps) => {
        const left: number[] = []
        const queue = new AcceptQueue<number>((n) => left.push(n))
        const taken: Promise<number>[] = []
        let next = 0
        for (const push of steps) {
          if (push) queue.push(next++)
          else taken.push(queue.take())
        }
        const remaining = queue.close(new Error('closed'))
        const results = await Promise.allSettled(taken)
        const got = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
        const all = [...got, ...remaining].sort((a, b) => a - b)
        expect(all).toEqual(Array.from({ length: next }, (_, i) => i))
        expect(got).toEqual([...got].sort((a, b) => a - b))
        expect([...left].sort((a, b) => a - b)).toEqual(all)
      })
    )
  })
})

describe('reconnectSchedule', () => {
  it('has the reference length, non-negative pauses, jitter within bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 12 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempts, backoffs, r) => {
          const settings = { ...defaultSwitchConfig, reconnectAttempts: attempts, reconnectBackOffAttempts: backoffs }
          const withJitter = [...reconnectSchedule(settings, () => r)]
          const without = [...reconnectSchedule(settings, () => 0)]
          expect(withJitter).toHaveLength(attempts + backoffs)
          withJitter.forEach((pause, i) => {
            expect(pause).toBeGreaterThanOrEqual(without[i]!)
            // At most two jitters (the first backoff pause carries the last interval's).
            expect(pause - without[i]!).toBeLessThan(2 * settings.dialRandomizerIntervalMs)
          })
        }
      )
    )
  })

  it('never exceeds the cap with persistentPeersMaxDialPeriodMs (other than the one carried sleep)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.double({ min: 0, max: 0.999_999, noNaN: true }), (cap, r) => {
        const schedule = reconnectSchedule({ ...defaultSwitchConfig, persistentPeersMaxDialPeriodMs: cap }, () => r)
        for (let i = 0; i < 60; i++) {
          const step = schedule.next()
          expect(step.done).toBe(false)
          expect(step.value).toBeLessThanOrEqual(i === 20 ? 2 * cap : cap)
        }
      })
    )
  })
})

describe('shuffle', () => {
  it('permutes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.array(fc.double({ min: 0, max: 0.999_999, noNaN: true }), { minLength: 1 }), (items, draws) => {
        let i = 0
        const out = shuffle([...items], () => draws[i++ % draws.length]!)
        expect([...out].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b))
      })
    )
  })
})
