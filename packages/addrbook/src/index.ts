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
export * from './params.js'
