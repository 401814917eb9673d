/**
 * The read-only view of the transport's connection table handed to
 * connection filters (the reference `ConnSet`).
 */
export interface ConnSetLike {
  /** Whether a connection with this remote `ip:port` (IPv6 in brackets) is open or being upgraded. */
  has(remote: string): boolean
  /** Whether any open or upgrading connection has this remote IP. */
  hasIp(ip: string): boolean
  /** Number of connections in the table. */
  readonly size: number
}

/**
 * The transport's table of connections, keyed by remote `ip:port`, from the
 * moment a connection passes the duplicate check until it is closed or
 * cleaned up. Also counts connections per IP, for `hasIp` and for per-IP
 * limits.
 */
export class ConnSet implements ConnSetLike {
  readonly #byRemote = new Map<string, { ip: string; owner: object }>()
  readonly #perIp = new Map<string, number>()

  get size(): number {
    return this.#byRemote.size
  }

  has(remote: string): boolean {
    return this.#byRemote.has(remote)
  }

  hasIp(ip: string): boolean {
    return (this.#perIp.get(ip) ?? 0) > 0
  }

  /** Connections from or to `ip` in the table. */
  countIp(ip: string): number {
    return this.#perIp.get(ip) ?? 0
  }

  /** Adds a connection, `owner` being what identifies it; false if its remote address is already in the table. */
  add(remote: string, ip: string, owner: object): boolean {
    if (this.#byRemote.has(remote)) return false
    this.#byRemote.set(remote, { ip, owner })
    this.#perIp.set(ip, (this.#perIp.get(ip) ?? 0) + 1)
    return true
  }

  /** Removes the connection `owner` added under `remote`; idempotent, and never removes another owner's entry. */
  remove(remote: string, owner: object): void {
    const entry = this.#byRemote.get(remote)
    if (entry?.owner !== owner) return
    const ip = entry.ip
    this.#byRemote.delete(remote)
    const n = (this.#perIp.get(ip) ?? 1) - 1
    if (n > 0) this.#perIp.set(ip, n)
    else this.#perIp.delete(ip)
  }
}

/** A counter per key that forgets keys at zero, so it cannot grow without bound. */
export class KeyedCounter {
  readonly #counts = new Map<string, number>()

  get(key: string): number {
    return this.#counts.get(key) ?? 0
  }

  inc(key: string): void {
    this.#counts.set(key, this.get(key) + 1)
  }

  dec(key: string): void {
    const n = this.get(key) - 1
    if (n > 0) this.#counts.set(key, n)
    else this.#counts.delete(key)
  }
}
