export { NetAddress } from './net-address.js'
export { Reachability } from './reachability.js'
export { parseNetAddress, parseNetAddresses, DEFAULT_LOOKUP_TIMEOUT_MS } from './resolve.js'
export type { HostLookup, ResolveOptions, ParsedNetAddresses } from './resolve.js'
export {
  NetAddressError,
  NetAddressNoIdError,
  NetAddressInvalidIdError,
  NetAddressInvalidHostError,
  NetAddressInvalidPortError,
  NetAddressLookupError,
  NetAddressInvalidError
} from './errors.js'
