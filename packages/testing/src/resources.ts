import { setTimeout as sleep } from 'node:timers/promises'

/** Counts of the process's active libuv resources by type (sockets, servers, timers...). */
export type ResourceCounts = Record<string, number>

/** The resources the process holds open right now (`process.getActiveResourcesInfo`), counted by type. */
export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = {}
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1
  return counts
}

/** Resource types that indicate a leak when they outlive a test: sockets, servers and timers. */
export const LEAK_TYPES = ['TCPSocketWrap', 'TCPServerWrap', 'TCPWRAP', 'PipeWrap', 'Timeout', 'Immediate'] as const

/**
 * Waits (up to `timeoutMs`) until no leak-relevant resource type has more
 * instances than in `before`, then returns the difference (empty when
 * nothing leaked). Closing a socket completes asynchronously, so a short wait
 * is normal; a count that stays above `before` is a leak.
 */
export async function waitForNoLeaks(before: ResourceCounts, timeoutMs = 2000): Promise<ResourceCounts> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const excess = excessResources(before, activeResources())
    if (Object.keys(excess).length === 0 || Date.now() >= deadline) return excess
    await sleep(10)
  }
}

function excessResources(before: ResourceCounts, now: ResourceCounts): ResourceCounts {
  const excess: ResourceCounts = {}
  for (const type of LEAK_TYPES) {
    const diff = (now[type] ?? 0) - (before[type] ?? 0)
    if (diff > 0) excess[type] = diff
  }
  return excess
}
