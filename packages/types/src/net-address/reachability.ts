import type { NetAddress } from './net-address.js'

/**
 * How well one address can reach another, used to rank addresses to hand
 * out; higher is better. The values are the reference's.
 */
export const Reachability = {
  Unreachable: 0,
  Default: 1,
  Teredo: 2,
  Ipv6Weak: 3,
  Ipv4: 4,
  Ipv6Strong: 5
} as const

/** One of the {@link Reachability} values. */
export type Reachability = (typeof Reachability)[keyof typeof Reachability]

/** The reference `ReachabilityTo`, from `from` to `to`. */
export function reachabilityBetween(from: NetAddress, to: NetAddress): Reachability {
  if (!from.routable()) return Reachability.Unreachable
  if (from.rfc4380()) {
    // A Teredo source can use anything routable; native IPv6 counts as weak.
    if (!to.routable()) return Reachability.Default
    if (to.rfc4380()) return Reachability.Teredo
    if (to.isIPv4()) return Reachability.Ipv4
    return Reachability.Ipv6Weak
  }
  if (from.isIPv4()) {
    return to.routable() && to.isIPv4() ? Reachability.Ipv4 : Reachability.Default
  }
  // Native IPv6 source: IPv6 is preferred only when the target is not an
  // IPv4 address tunnelled or translated into IPv6.
  if (!to.routable()) return Reachability.Default
  if (to.rfc4380()) return Reachability.Teredo
  if (to.isIPv4()) return Reachability.Ipv4
  if (to.rfc3964() || to.rfc6052() || to.rfc6145()) return Reachability.Ipv6Weak
  return Reachability.Ipv6Strong
}
