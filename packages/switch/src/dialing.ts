import {
  NetAddress,
  NetAddressError,
  NetAddressLookupError,
  parseNetAddress,
  type HostLookup,
  type NodeId,
  type NodeInfo
} from '@comet-p2p/types'

/**
 * One `persistent_peers` entry. A host name is kept as written and resolved
 * again before every redial, so a peer whose DNS record moves is followed.
 */
export interface PersistentPeer {
  /** The entry as configured. */
  readonly original: string
  readonly id: NodeId
  /** True when the host is a name rather than an IP literal. */
  readonly byName: boolean
  /** The address last resolved (always set for IP literals). */
  resolved: NetAddress | undefined
}

/** How the switch resolves host names. */
export interface ResolveSettings {
  lookup?: HostLookup | undefined
  signal?: AbortSignal | undefined
}

/**
 * Parses the persistent peers, resolving host names. A failed lookup is
 * tolerated (reported in `lookupErrors`; the entry is kept, unresolved), as
 * in the reference; any other malformed entry throws its `NetAddressError`.
 */
export async function parsePersistentPeers(
  entries: readonly string[],
  settings: ResolveSettings
): Promise<{ peers: PersistentPeer[]; lookupErrors: NetAddressLookupError[] }> {
  const lookupErrors: NetAddressLookupError[] = []
  const peers = await Promise.all(
    entries.map(async (original): Promise<PersistentPeer> => {
      try {
        const addr = NetAddress.fromString(original)
        return { original, id: addr.id, byName: false, resolved: addr }
      } catch (err) {
        if (!(err instanceof NetAddressError)) throw err
      }
      try {
        const addr = await parseNetAddress(original, settings)
        return { original, id: addr.id, byName: true, resolved: addr }
      } catch (err) {
        if (!(err instanceof NetAddressLookupError)) throw err
        lookupErrors.push(err)
        return { original, id: idOf(original), byName: true, resolved: undefined }
      }
    })
  )
  return { peers, lookupErrors }
}

/** Resolves a persistent peer again when it was given by name; updates and returns its address. */
export async function resolvePersistentPeer(peer: PersistentPeer, settings: ResolveSettings): Promise<NetAddress> {
  if (!peer.byName && peer.resolved !== undefined) return peer.resolved
  const addr = await parseNetAddress(peer.original, settings)
  peer.resolved = addr
  return addr
}

/** `address` without a leading `scheme://` (cut at the first `://`, as the reference). */
function stripScheme(address: string): string {
  const scheme = address.indexOf('://')
  return scheme >= 0 ? address.slice(scheme + 3) : address
}

/** The node ID part of `[scheme://]id@host:port` (already known to be well-formed). */
function idOf(address: string): NodeId {
  const rest = stripScheme(address)
  return rest.slice(0, rest.indexOf('@'))
}

/**
 * The peer's self-reported address, `id@listenAddr` with any scheme cut,
 * when the listen address holds an IP literal; undefined otherwise. No
 * lookup is made: the reference would resolve a host name from the peer
 * here, which lets a peer make us query DNS.
 */
export function selfReportedAddress(info: NodeInfo): NetAddress | undefined {
  try {
    return NetAddress.fromString(`${info.id}@${stripScheme(info.listenAddr)}`)
  } catch {
    return undefined
  }
}

/** Fisher–Yates shuffle in place, with an injectable source of randomness in `[0, 1)`. */
export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const tmp = items[i] as T
    items[i] = items[j] as T
    items[j] = tmp
  }
  return items
}
