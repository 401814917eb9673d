import { AbortError, TimeoutError } from './errors.js'

/** Options accepted by every comet-p2p call that can wait. */
export interface AbortOptions {
  /** Aborts the wait; the call then rejects with an {@link AbortError}. */
  signal?: AbortSignal | undefined
}

/** Throws an {@link AbortError} (carrying the signal's reason as `cause`) if `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortErrorFor(signal)
}

/** The error to reject with when `signal` fires: its reason if that is already a comet error, else an AbortError. */
export function abortErrorFor(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (reason instanceof AbortError || reason instanceof TimeoutError) return reason
  return new AbortError(undefined, { cause: reason })
}

/**
 * Settles like `promise`, or rejects as soon as `signal` fires. The listener
 * on the signal is always removed, so long-lived signals do not accumulate
 * listeners. The promise itself is not cancelled.
 */
export async function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  if (signal.aborted) {
    promise.catch(() => undefined)
    throw abortErrorFor(signal)
  }
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(abortErrorFor(signal))
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([promise, aborted])
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort)
  }
}

/** A signal that fires on a deadline or when a parent signal fires; call `clear()` when done. */
export interface DeadlineSignal {
  readonly signal: AbortSignal
  /** Cancels the timer and detaches from the parent signal. Idempotent. */
  clear(): void
}

/**
 * Creates a signal that aborts with a {@link TimeoutError} after `timeoutMs`
 * (when given and finite) or when `parent` aborts. Unlike
 * `AbortSignal.timeout`, the timer is released by `clear()`, so nothing stays
 * scheduled once the guarded operation is over.
 */
export function deadlineSignal(timeoutMs: number | undefined, parent?: AbortSignal, what = 'operation'): DeadlineSignal {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const onParentAbort = (): void => controller.abort(parent === undefined ? undefined : abortErrorFor(parent))
  const clear = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    parent?.removeEventListener('abort', onParentAbort)
  }
  if (parent?.aborted === true) {
    onParentAbort()
  } else {
    parent?.addEventListener('abort', onParentAbort, { once: true })
    if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        timer = undefined
        parent?.removeEventListener('abort', onParentAbort)
        controller.abort(new TimeoutError(`${what} timed out after ${timeoutMs} ms`))
      }, Math.max(0, timeoutMs))
    }
  }
  return { signal: controller.signal, clear }
}
