import { AbortError, TimeoutError, deadlineSignal, raceSignal } from '@comet-p2p/types'
import { RejectedError, type RejectedErrorDetails } from './errors.js'

/** One filter call, bound to its arguments; it gets a signal that fires on the time limit. */
export type BoundFilter = (signal: AbortSignal) => void | Promise<void>

/** Marks an error thrown by a filter, to tell it apart from the deadline. */
class FilterThrew extends Error {
  constructor(override readonly cause: unknown) {
    super('filter threw')
  }
}

/**
 * Runs `filters` concurrently and resolves when all of them accepted.
 * Rejects with a `RejectedError`: `filtered` (with the filter's error as
 * `cause`) as soon as one throws, `filter_timeout` when they have not all
 * answered within `timeoutMs`, `closed` when `parent` fires.
 *
 * The reference waits up to the time limit for each answer in turn, so a set
 * of slow filters can take several times the limit; here it bounds the whole
 * set.
 */
export async function runFilters(
  filters: readonly BoundFilter[],
  timeoutMs: number,
  what: string,
  details: RejectedErrorDetails,
  parent?: AbortSignal
): Promise<void> {
  if (filters.length === 0) return
  const deadline = deadlineSignal(timeoutMs, parent, `${what} filters`)
  try {
    const all = Promise.all(
      filters.map(async (filter) => {
        try {
          await filter(deadline.signal)
        } catch (err) {
          throw new FilterThrew(err)
        }
      })
    )
    await raceSignal(all, deadline.signal)
  } catch (err) {
    if (err instanceof FilterThrew) {
      const text = err.cause instanceof Error ? err.cause.message : String(err.cause)
      throw new RejectedError('filtered', `${what} rejected by a filter: ${text}`, { ...details, cause: err.cause })
    }
    if (err instanceof TimeoutError) {
      throw new RejectedError('filter_timeout', `${what} filters did not answer within ${timeoutMs} ms`, { ...details, cause: err })
    }
    if (err instanceof AbortError) throw new RejectedError('closed', `${what} filters interrupted`, { ...details, cause: err })
    throw err
  } finally {
    deadline.clear()
  }
}
