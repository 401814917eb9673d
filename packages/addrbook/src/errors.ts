import { CometError, type NetAddress } from '@comet-p2p/types'

/**
 * Base class of the refusals of `addAddress`. `addr` and `src` are what the
 * caller passed (either may be missing for {@link AddrBookNilAddrError}).
 */
export class AddrBookAddError extends CometError {
  /** The address that was refused. */
  readonly addr: NetAddress | undefined
  /** The source it was learnt from. */
  readonly src: NetAddress | undefined

  constructor(code: string, message: string, addr: NetAddress | undefined, src: NetAddress | undefined, options?: ErrorOptions) {
    super(code, message, options)
    this.name = 'AddrBookAddError'
    this.addr = addr
    this.src = src
  }
}

/** The address or its source is missing (or not a `NetAddress`). */
export class AddrBookNilAddrError extends AddrBookAddError {
  static readonly code = 'ERR_ADDRBOOK_NIL_ADDR'
  constructor(addr: NetAddress | undefined, src: NetAddress | undefined) {
    super(AddrBookNilAddrError.code, `cannot add a missing address (addr ${show(addr)}, src ${show(src)})`, addr, src)
    this.name = 'AddrBookNilAddrError'
  }
}

/** The address fails `NetAddress.valid()` (bad ID, unspecified, broadcast or documentation IP); the cause says why. */
export class AddrBookInvalidAddrError extends AddrBookAddError {
  static readonly code = 'ERR_ADDRBOOK_INVALID_ADDR'
  constructor(addr: NetAddress, src: NetAddress, cause: Error) {
    super(AddrBookInvalidAddrError.code, `cannot add invalid address ${addr.toString()}: ${cause.message}`, addr, src, { cause })
    this.name = 'AddrBookInvalidAddrError'
  }
}

/** The address's node ID is banned (see `markBad`). */
export class AddrBookBannedError extends AddrBookAddError {
  static readonly code = 'ERR_ADDRBOOK_BANNED'
  constructor(addr: NetAddress, src: NetAddress) {
    super(AddrBookBannedError.code, `address ${addr.toString()} is currently banned`, addr, src)
    this.name = 'AddrBookBannedError'
  }
}

/** The address's node ID is one of the private IDs (see `addPrivateIDs`). */
export class AddrBookPrivateError extends AddrBookAddError {
  static readonly code = 'ERR_ADDRBOOK_PRIVATE'
  constructor(addr: NetAddress, src: NetAddress) {
    super(AddrBookPrivateError.code, `cannot add private peer with address ${addr.toString()}`, addr, src)
    this.name = 'AddrBookPrivateError'
  }
}

/** The address was learnt from a peer whose node ID is private. */
export class AddrBookPrivateSrcError extends AddrBookAddError {
  static readonly code = 'ERR_ADDRBOOK_PRIVATE_SRC'
  constructor(addr: NetAddress, src: NetAddress) {
    super(AddrBookPrivateSrcError.code, `cannot add an address learnt from private peer ${src.toString()}`, addr, src)
    this.name = 'AddrBookPrivateSrcError'
  }
}

/** The address is one of our own (see `addOurAddress`). */
export class AddrBookSelfError extends AddrBookAddError {
  static readonly code = 'ERR_ADDRBOOK_SELF'
  constructor(addr: NetAddress, src: NetAddress) {
    super(AddrBookSelfError.code, `cannot add our own address ${addr.toString()}`, addr, src)
    this.name = 'AddrBookSelfError'
  }
}

/** The book is routability-strict and the address is not routable (private, local, link-local...). */
export class AddrBookNonRoutableError extends AddrBookAddError {
  static readonly code = 'ERR_ADDRBOOK_NON_ROUTABLE'
  constructor(addr: NetAddress, src: NetAddress) {
    super(AddrBookNonRoutableError.code, `cannot add non-routable address ${addr.toString()}`, addr, src)
    this.name = 'AddrBookNonRoutableError'
  }
}

/** Base class of the failures to read or write the address book file; `file` is its path. */
export class AddrBookFileError extends CometError {
  /** Path of the address book file. */
  readonly file: string
  constructor(code: string, message: string, file: string, options?: ErrorOptions) {
    super(code, message, options)
    this.name = 'AddrBookFileError'
    this.file = file
  }
}

/**
 * The file exists but is not an address book: not JSON (e.g. truncated), or
 * not shaped like one. The file is left untouched and the book will not save
 * over it.
 */
export class AddrBookFileCorruptError extends AddrBookFileError {
  static readonly code = 'ERR_ADDRBOOK_FILE_CORRUPT'
  constructor(file: string, reason: string, options?: ErrorOptions) {
    super(AddrBookFileCorruptError.code, `address book file ${file} is corrupt: ${reason}`, file, options)
    this.name = 'AddrBookFileCorruptError'
  }
}

/** The file exists but cannot be read (permissions, I/O error...); the cause is the system error. */
export class AddrBookFileReadError extends AddrBookFileError {
  static readonly code = 'ERR_ADDRBOOK_FILE_READ'
  constructor(file: string, cause: unknown) {
    super(AddrBookFileReadError.code, `cannot read address book file ${file}: ${errorText(cause)}`, file, { cause })
    this.name = 'AddrBookFileReadError'
  }
}

/** Writing the file failed; the previous file (if any) is still intact. */
export class AddrBookFileWriteError extends AddrBookFileError {
  static readonly code = 'ERR_ADDRBOOK_FILE_WRITE'
  constructor(file: string, cause: unknown) {
    super(AddrBookFileWriteError.code, `cannot save address book file ${file}: ${errorText(cause)}`, file, { cause })
    this.name = 'AddrBookFileWriteError'
  }
}

/**
 * A lifecycle call in the wrong state: saving a file-backed book that was
 * not loaded (or whose file failed to load), starting twice or after stop,
 * or starting a book that already holds addresses.
 */
export class AddrBookStateError extends CometError {
  static readonly code = 'ERR_ADDRBOOK_STATE'
  constructor(message: string) {
    super(AddrBookStateError.code, message)
    this.name = 'AddrBookStateError'
  }
}

function show(addr: NetAddress | undefined): string {
  return addr === undefined ? '<none>' : String(addr)
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
