/**
 * The address book's tuning values. Names and values are those of the
 * reference (`p2p/pex/params.go`), written in SCREAMING_CASE. Bucket counts
 * and the per-group spreads define where addresses live, so they are fixed:
 * a file written with other counts would not load in CometBFT. The other
 * limits can be overridden through {@link AddrBookOptions}.
 */

/** Below this many addresses the book asks for more (`needMoreAddrs`). */
export const NEED_ADDRESS_THRESHOLD = 1000

/** How often a started book saves itself to its file, in milliseconds (2 minutes). */
export const DUMP_ADDRESS_INTERVAL_MS = 2 * 60 * 1000

/** Most addresses one old bucket holds. */
export const OLD_BUCKET_SIZE = 64

/** Number of old buckets. */
export const OLD_BUCKET_COUNT = 64

/** Most addresses one new bucket holds. */
export const NEW_BUCKET_SIZE = 64

/** Number of new buckets. */
export const NEW_BUCKET_COUNT = 256

/** Old buckets that the addresses of one network group are spread over. */
export const OLD_BUCKETS_PER_GROUP = 4

/** New buckets that the addresses learnt from one source group are spread over. */
export const NEW_BUCKETS_PER_GROUP = 32

/** Most new buckets that one (frequently announced) address can be in. */
export const MAX_NEW_BUCKETS_PER_ADDRESS = 4

/** Days without an attempt after which a new address counts as vanished (bad). */
export const NUM_MISSING_DAYS = 7

/** Failed attempts, with no success ever, after which a new address is bad. */
export const NUM_RETRIES = 3

/** Failed attempts after which a new address whose last success is older than {@link MIN_BAD_DAYS} is bad. */
export const MAX_FAILURES = 10

/** Days since the last success before repeated failures make a new address bad. */
export const MIN_BAD_DAYS = 7

/** Share of the book, in percent, that a selection for a peer holds. */
export const GET_SELECTION_PERCENT = 23

/** A selection holds at least this many addresses (or the whole book, if smaller). */
export const MIN_GET_SELECTION = 32

/** A selection holds at most this many addresses (what fits in one PEX message). */
export const MAX_GET_SELECTION = 250

/** A new address attempted within this many milliseconds is never considered bad. */
export const RECENT_ATTEMPT_GRACE_MS = 60 * 1000

/** `bucket_type` of an address in the new buckets, as stored in the file. */
export const BUCKET_TYPE_NEW = 1

/** `bucket_type` of an address in the old buckets, as stored in the file. */
export const BUCKET_TYPE_OLD = 2

/** The two bucket kinds, as the file stores them. */
export type BucketType = typeof BUCKET_TYPE_NEW | typeof BUCKET_TYPE_OLD

/** Length in hex characters of the reference `key` field (96 random bits). */
export const ADDRBOOK_KEY_HEX_LENGTH = 24

/** Length in bytes of the key of the bucket-placement hash (stored as `hash_key`). */
export const HASH_KEY_BYTE_LENGTH = 32

/** One day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000
