/**
 * @packageDocumentation
 * The CometBFT peer-exchange (PEX) reactor: address gossip on channel 0x00
 * (`PexRequest` / `PexAddrs`, wire-compatible with CometBFT v0.34), the
 * peer manager that keeps a node connected to its outbound target (bias,
 * per-address backoff, seeds), and seed mode, which crawls the network and
 * hands out addresses.
 */
export { PexReactor } from './reactor.js'
export type { PexReactorOptions, PexAddrBook, CrawlStatus } from './options.js'
export {
  defaultPexReactorConfig,
  resolvePexConfig,
  PEX_CHANNEL,
  MAX_ADDRESS_SIZE,
  MAX_GET_SELECTION,
  MAX_PEX_MESSAGE_SIZE
} from './config.js'
export type { PexReactorConfig, PexReactorConfigInput, SeedFastDial } from './config.js'
export { dialBackoffMs } from './dial-attempts.js'
export type { BackoffSettings } from './dial-attempts.js'
export type { CrawlPeerInfo } from './crawl-state.js'
export type { PexStats } from './stats.js'
export {
  PexPeerError,
  PexDecodeError,
  UnsolicitedAddrsError,
  RequestTooSoonError,
  InvalidPexAddressError,
  TooManyAddressesError,
  NoSeedsError,
  InvalidSeedError,
  MaxDialAttemptsError,
  TooEarlyToDialError,
  PexStateError
} from './errors.js'
