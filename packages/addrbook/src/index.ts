/**
 * @packageDocumentation
 * The CometBFT address book: the peers a node knows of, in bucketed new
 * and old tables with the reference's placement, eviction, good/bad/banned
 * rules and selections for the PEX reactor, persisted crash-safely to the
 * reference `addrbook.json` format.
 */
export { AddrBook } from './addrbook.js'
export type { AddrBookStats } from './addrbook.js'
export type { AddrBookLike } from './addrbook-like.js'
export type { AddrBookOptions } from './options.js'
export type { KnownAddressInfo } from './known-address.js'
export { groupKey } from './group-key.js'
export { selectionSize } from './selection.js'
export {
  AddrBookAddError,
  AddrBookNilAddrError,
  AddrBookInvalidAddrError,
  AddrBookBannedError,
  AddrBookPrivateError,
  AddrBookPrivateSrcError,
  AddrBookSelfError,
  AddrBookNonRoutableError,
  AddrBookFileError,
  AddrBookFileCorruptError,
  AddrBookFileReadError,
  AddrBookFileWriteError,
  AddrBookStateError
} from './errors.js'
export {
  NEED_ADDRESS_THRESHOLD,
  DUMP_ADDRESS_INTERVAL_MS,
  OLD_BUCKET_SIZE,
  OLD_BUCKET_COUNT,
  NEW_BUCKET_SIZE,
  NEW_BUCKET_COUNT,
  OLD_BUCKETS_PER_GROUP,
  NEW_BUCKETS_PER_GROUP,
  MAX_NEW_BUCKETS_PER_ADDRESS,
  NUM_MISSING_DAYS,
  NUM_RETRIES,
  MAX_FAILURES,
  MIN_BAD_DAYS,
  GET_SELECTION_PERCENT,
  MIN_GET_SELECTION,
  MAX_GET_SELECTION,
  RECENT_ATTEMPT_GRACE_MS,
  BUCKET_TYPE_NEW,
  BUCKET_TYPE_OLD,
  ADDRBOOK_KEY_HEX_LENGTH,
  HASH_KEY_BYTE_LENGTH
} from './params.js'
export type { BucketType } from './params.js'
