import { InvalidArgumentError } from '@comet-p2p/types'

/** The PEX channel ID. */
export const PEX_CHANNEL = 0x00

/** The reference's over-estimate of one encoded address, in bytes (`maxAddressSize`). */
export const MAX_ADDRESS_SIZE = 256

/** Most addresses a reference node puts in one message (the address book's `maxGetSelection`). */
export const MAX_GET_SELECTION = 250

/** Largest PEX message accepted, in bytes: `MAX_ADDRESS_SIZE * MAX_GET_SELECTION` (the reference `maxMsgSize`). */
export const MAX_PEX_MESSAGE_SIZE = MAX_ADDRESS_SIZE * MAX_GET_SELECTION

const HOUR_MS = 60 * 60 * 1000

/**
 * What the reactor does with addresses received from a configured seed:
 * - `all`: dial every one of them right away (v0.34 behaviour, which may
 *   exceed `maxNumOutboundPeers`);
 * - `ensurePeers`: run a dialing round of the peer manager right away, which
 *   dials only toward the outbound target (what later CometBFT versions do);
 * - `off`: wait for the next periodic round.
 */
export type SeedFastDial = 'all' | 'ensurePeers' | 'off'

/**
 * Settings of the PEX reactor. Names follow the reference constants and
 * `ReactorConfig` fields in camelCase; durations are in milliseconds.
 */
export interface PexReactorConfig {
  /** `id@host:port` seed addresses (host names are resolved on start), an array or one comma-separated string. Default none. */
  seeds: readonly string[]
  /** Run as a seed / crawler instead of keeping outbound peers (`seed_mode`). Default false. */
  seedMode: boolean
  /** Period of the peer manager (`defaultEnsurePeersPeriod`); peers asking more often than a third of it are dropped. Default 30000. */
  ensurePeersPeriodMs: number
  /** Period of the seed-mode crawl (`crawlPeerPeriod`). Default 30000. */
  crawlPeerPeriodMs: number
  /** A peer is crawled at most once in this time (`minTimeBetweenCrawls`). Default 120000. */
  minTimeBetweenCrawlsMs: number
  /** Crawl records older than this are forgotten. Reference constant: 24 h. */
  crawlPeerInfoTtlMs: number
  /** In seed mode, non-persistent peers connected this long are disconnected (`SeedDisconnectWaitPeriod`). Default 28 h, as the reference node sets it. */
  seedDisconnectWaitPeriodMs: number
  /** Failed dials an address may have; the next dial after more than this many marks it bad instead, persistent peers excepted (`maxAttemptsToDial`). Default 16. */
  maxAttemptsToDial: number
  /** How long misbehaving and undialable peers are banned (`defaultBanTime`). Default 24 h. */
  defaultBanTimeMs: number
  /** Share of new addresses, in percent, in a seed's answer (`biasToSelectNewPeers`). Default 30. */
  biasToSelectNewPeers: number
  /** Unit of the dial backoff: after n failed dials the next waits `2^n` units plus jitter. Reference: 1000 (one second). */
  dialBackoffUnitMs: number
  /** Upper bound of the random jitter added to the dial backoff. Reference: 1000. */
  dialJitterMs: number
  /** Cap on any dial backoff. Default `Infinity`: the reference has none (2^16 s ≈ 18 h at the last attempt). */
  maxBackoffMs: number
  /** Cap on the dial backoff of persistent peers; 0 means none (`persistent_peers_max_dial_period`). Default 0. */
  persistentPeersMaxDialPeriodMs: number
  /** Most addresses accepted in one message. Not in the reference; default 250, the most a reference node sends. */
  maxAddrsPerMessage: number
  /** Send queue of the PEX channel, in messages. Reference: 10. */
  sendQueueCapacity: number
  /** Largest PEX message received, in bytes. Reference: {@link MAX_PEX_MESSAGE_SIZE} (64000). */
  recvMessageCapacity: number
  /** See {@link SeedFastDial}. Default `all`, as v0.34. */
  seedFastDial: SeedFastDial
  /** Time allowed to resolve one seed host name on start. Default 5000. */
  seedLookupTimeoutMs: number
  /**
   * Keep asking a random peer for addresses (while the book needs more) in
   * peer-manager rounds where the outbound target is already reached. The
   * reference stops asking then, so the book of a node at its target never
   * grows again except through inbound peers. Default false (reference).
   */
  requestAddrsAtTarget: boolean
}

/** The defaults of {@link PexReactorConfig}: the reference values. */
export const defaultPexReactorConfig: Readonly<PexReactorConfig> = Object.freeze({
  seeds: [],
  seedMode: false,
  ensurePeersPeriodMs: 30_000,
  crawlPeerPeriodMs: 30_000,
  minTimeBetweenCrawlsMs: 120_000,
  crawlPeerInfoTtlMs: 24 * HOUR_MS,
  seedDisconnectWaitPeriodMs: 28 * HOUR_MS,
  maxAttemptsToDial: 16,
  defaultBanTimeMs: 24 * HOUR_MS,
  biasToSelectNewPeers: 30,
  dialBackoffUnitMs: 1_000,
  dialJitterMs: 1_000,
  maxBackoffMs: Number.POSITIVE_INFINITY,
  persistentPeersMaxDialPeriodMs: 0,
  maxAddrsPerMessage: MAX_GET_SELECTION,
  sendQueueCapacity: 10,
  recvMessageCapacity: MAX_PEX_MESSAGE_SIZE,
  seedFastDial: 'all',
  seedLookupTimeoutMs: 5_000,
  requestAddrsAtTarget: false
})

/** A configuration as accepted by the reactor: any subset; `seeds` may also be one comma-separated string. */
export type PexReactorConfigInput = Partial<Omit<PexReactorConfig, 'seeds'> & { seeds: readonly string[] | string }>

const POSITIVE = ['ensurePeersPeriodMs', 'crawlPeerPeriodMs', 'sendQueueCapacity', 'recvMessageCapacity'] as const
const NON_NEGATIVE = [
  'minTimeBetweenCrawlsMs',
  'crawlPeerInfoTtlMs',
  'seedDisconnectWaitPeriodMs',
  'maxAttemptsToDial',
  'defaultBanTimeMs',
  'dialBackoffUnitMs',
  'dialJitterMs',
  'maxBackoffMs',
  'persistentPeersMaxDialPeriodMs',
  'maxAddrsPerMessage',
  'seedLookupTimeoutMs'
] as const

/**
 * Applies the defaults and checks every value; throws `InvalidArgumentError`.
 * Keys that are not settings (e.g. the other reactor options) are ignored.
 */
export function resolvePexConfig(input: PexReactorConfigInput = {}): PexReactorConfig {
  const given = input as Record<string, unknown>
  const defined = Object.fromEntries(
    Object.keys(defaultPexReactorConfig)
      .filter((key) => given[key] !== undefined)
      .map((key) => [key, given[key]])
  ) as PexReactorConfigInput
  const config: PexReactorConfig = { ...defaultPexReactorConfig, ...defined, seeds: seedList(input.seeds) }
  for (const key of POSITIVE) {
    if (!isNumber(config[key]) || config[key] <= 0) throw invalid(key, 'a positive number', config[key])
  }
  for (const key of NON_NEGATIVE) {
    if (!isNumber(config[key]) || config[key] < 0) throw invalid(key, 'a non-negative number', config[key])
  }
  if (!isNumber(config.biasToSelectNewPeers) || config.biasToSelectNewPeers < 0 || config.biasToSelectNewPeers > 100) {
    throw invalid('biasToSelectNewPeers', 'a number from 0 to 100', config.biasToSelectNewPeers)
  }
  if (!['all', 'ensurePeers', 'off'].includes(config.seedFastDial)) {
    throw invalid('seedFastDial', '"all", "ensurePeers" or "off"', config.seedFastDial)
  }
  for (const key of ['seedMode', 'requestAddrsAtTarget'] as const) {
    if (typeof config[key] !== 'boolean') throw invalid(key, 'a boolean', config[key])
  }
  return config
}

function seedList(value: readonly string[] | string | undefined): string[] {
  if (value === undefined) return []
  const entries = typeof value === 'string' ? value.split(',') : [...value]
  return entries.map((s) => s.trim()).filter((s) => s !== '')
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value)
}

function invalid(key: string, expected: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`${key} must be ${expected}, got ${String(value)}`)
}
