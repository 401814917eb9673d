import { NetAddressLookupError, parseNetAddresses, type HostLookup, type NetAddress } from '@comet-p2p/types'
import { InvalidSeedError } from './errors.js'

/** The seeds that could be used, and the ones whose host name did not resolve. */
export interface ResolvedSeeds {
  addresses: NetAddress[]
  lookupErrors: NetAddressLookupError[]
}

/**
 * Parses and resolves the configured seeds (the reference `checkSeeds`). A
 * lookup failure is reported, not thrown; any other malformed entry throws
 * {@link InvalidSeedError}, as the reference refuses to start with one.
 */
export async function resolveSeeds(
  seeds: readonly string[],
  options: { lookup?: HostLookup | undefined; timeoutMs: number; signal?: AbortSignal | undefined }
): Promise<ResolvedSeeds> {
  if (seeds.length === 0) return { addresses: [], lookupErrors: [] }
  const { addresses, errors } = await parseNetAddresses(seeds, options)
  const lookupErrors: NetAddressLookupError[] = []
  for (const err of errors) {
    if (err instanceof NetAddressLookupError) lookupErrors.push(err)
    else throw new InvalidSeedError(err.input, err)
  }
  return { addresses, lookupErrors }
}
