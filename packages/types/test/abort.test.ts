import { afterEach, describe, expect, it, vi } from 'vitest'
import { AbortError, TimeoutError, deadlineSignal, raceSignal, throwIfAborted } from '../src/index.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('raceSignal', () => {
  it('passes the value through without a signal', async () => {
    await expect(raceSignal(Promise.resolve(3), undefined)).resolves.toBe(3)
  })

  it('rejects with AbortError when the signal fires, and detaches its listener', async () => {
    const controller = new AbortController()
    const add = vi.spyOn(controller.signal, 'addEventListener')
    const remove = vi.spyOn(controller.signal, 'removeEventListener')
    const pending = raceSignal(new Promise<never>(() => undefined), controller.signal)
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(AbortError)
    expect(remove).toHaveBeenCalledTimes(add.mock.calls.length)
  })

  it('rejects at once on an aborted signal', async () => {
    await expect(raceSignal(Promise.resolve(1), AbortSignal.abort())).rejects.toBeInstanceOf(AbortError)
  })

  it('keeps a TimeoutError reason as is', async () => {
    const controller = new AbortController()
    controller.abort(new TimeoutError())
    expect(() => throwIfAborted(controller.signal)).toThrow(TimeoutError)
  })
})

describe('deadlineSignal', () => {
  it('fires with a TimeoutError after the deadline', () => {
    vi.useFakeTimers()
    const deadline = deadlineSignal(100, undefined, 'handshake')
    vi.advanceTimersByTime(99)
    expect(deadline.signal.aborted).toBe(false)
    vi.advanceTimersByTime(1)
    expect(deadline.signal.reason).toBeInstanceOf(TimeoutError)
    expect((deadline.signal.reason as Error).message).toMatch(/handshake timed out after 100 ms/)
  })

  it('follows its parent and leaves no timer after clear()', () => {
    vi.useFakeTimers()
    const parent = new AbortController()
    const deadline = deadlineSignal(1000, parent.signal)
    expect(vi.getTimerCount()).toBe(1)
    parent.abort()
    expect(deadline.signal.reason).toBeInstanceOf(AbortError)
    deadline.clear()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('without a timeout schedules nothing', () => {
    vi.useFakeTimers()
    const deadline = deadlineSignal(undefined)
    expect(vi.getTimerCount()).toBe(0)
    deadline.clear()
  })
})
