import { abortErrorFor } from '@comet-p2p/types'

/** A signal that fires when any of several others does; `clear()` detaches it from them. */
export interface LinkedSignal {
  readonly signal: AbortSignal
  clear(): void
}

/**
 * A signal that aborts (with the same reason) as soon as one of `signals`
 * does. Unlike `AbortSignal.any`, it detaches from long-lived parents when
 * cleared, so a signal that lives as long as the transport does not collect
 * one listener per dial.
 */
export function linkSignals(...signals: (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController()
  const parents = signals.filter((s): s is AbortSignal => s !== undefined)
  const onAbort = (event: Event): void => {
    controller.abort((event.target as AbortSignal).reason)
    clear()
  }
  const clear = (): void => {
    for (const parent of parents) parent.removeEventListener('abort', onAbort)
  }
  const already = parents.find((s) => s.aborted)
  if (already !== undefined) controller.abort(already.reason)
  else for (const parent of parents) parent.addEventListener('abort', onAbort, { once: true })
  return { signal: controller.signal, clear }
}

/**
 * Resolves after `ms` milliseconds (a `setTimeout`, so fake timers apply),
 * or rejects (see `abortErrorFor`) as soon as `signal` fires; the timer is
 * always cleared.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortErrorFor(signal))
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(abortErrorFor(signal))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, Math.max(0, ms))
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
