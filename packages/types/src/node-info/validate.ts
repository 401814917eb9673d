import { NetAddressError, NetAddressInvalidIdError } from '../net-address/errors.js'
import { parseAddressParts, stripScheme, type AddressParts } from '../net-address/parse.js'
import { resolveHost, type ResolveOptions } from '../net-address/resolve.js'
import { NodeInfoInvalidError } from './errors.js'
import { MAX_NUM_CHANNELS, type NodeInfo } from './types.js'

/** Non-empty and made of printable ASCII (0x20–0x7e) only: no tabs, newlines or non-ASCII. */
function isAsciiText(s: string): boolean {
  return /^[\x20-\x7e]+$/.test(s)
}

/** Printable ASCII with at least one character that is not a space. */
function isNonBlankAsciiText(s: string): boolean {
  return isAsciiText(s) && /[^ ]/.test(s)
}

/**
 * The listen address as the reference checks it: `id@listenAddr` with any
 * scheme removed from the listen address, parsed as a peer address. The ID
 * is thereby checked too, so its failures are reported as field `id`.
 */
function checkListenAddr(info: NodeInfo): AddressParts {
  try {
    return parseAddressParts(`${info.id}@${stripScheme(info.listenAddr)}`)
  } catch (err) {
    if (err instanceof NetAddressInvalidIdError) throw new NodeInfoInvalidError('id', err.message, { cause: err })
    if (err instanceof NetAddressError) throw new NodeInfoInvalidError('listenAddr', err.message, { cause: err })
    throw err
  }
}

function checkOtherFields(info: NodeInfo): void {
  const { version, channels, moniker, other } = info
  if (version !== '' && !isNonBlankAsciiText(version)) {
    throw new NodeInfoInvalidError('version', `must be empty or printable ASCII, not only spaces; got ${JSON.stringify(version)}`)
  }
  if (channels.length > MAX_NUM_CHANNELS) {
    throw new NodeInfoInvalidError('channels', `${channels.length} channels, at most ${MAX_NUM_CHANNELS} allowed`)
  }
  const seen = new Set<number>()
  for (const channel of channels) {
    if (seen.has(channel)) throw new NodeInfoInvalidError('channels', `channel ${channel} is listed twice`)
    seen.add(channel)
  }
  if (!isNonBlankAsciiText(moniker)) {
    throw new NodeInfoInvalidError('moniker', `must be printable ASCII, not empty or only spaces; got ${JSON.stringify(moniker)}`)
  }
  if (other.txIndex !== '' && other.txIndex !== 'on' && other.txIndex !== 'off') {
    throw new NodeInfoInvalidError('other.txIndex', `must be "on", "off" or empty; got ${JSON.stringify(other.txIndex)}`)
  }
  if (other.rpcAddress !== '' && !isNonBlankAsciiText(other.rpcAddress)) {
    throw new NodeInfoInvalidError(
      'other.rpcAddress',
      `must be empty or printable ASCII, not only spaces; got ${JSON.stringify(other.rpcAddress)}`
    )
  }
}

/**
 * Checks a NodeInfo the way the reference `Validate` does, in the same
 * order, and throws a {@link NodeInfoInvalidError} naming the first bad
 * field: the ID and listen address (see below), the version (empty, or
 * printable ASCII that is not only spaces), the channels (at most 16, no
 * duplicates), the moniker (printable ASCII, not only spaces), `txIndex`
 * (`""`, `"on"`, `"off"`) and `rpcAddress` (like the version). Quirks kept:
 * uppercase IDs and port 0 pass, there is no length limit other than the
 * message size, and the network is not checked (compatibility does that).
 *
 * Difference from the reference: a listen address whose host is a name is
 * only checked for syntax here, not resolved, so a peer cannot make the
 * validation query DNS. Use {@link validateNodeInfoAsync} to also resolve it.
 */
export function validateNodeInfo(info: NodeInfo): void {
  checkListenAddr(info)
  checkOtherFields(info)
}

/**
 * {@link validateNodeInfo}, but a host name in the listen address must also
 * resolve (with `options.lookup`, default the system resolver, within
 * `options.timeoutMs`), as in the reference. A failed lookup is reported as
 * field `listenAddr`; cancellation through `options.signal` rejects with
 * the abort error instead.
 */
export async function validateNodeInfoAsync(info: NodeInfo, options: ResolveOptions = {}): Promise<void> {
  const parts = checkListenAddr(info)
  if (parts.ip === undefined) {
    try {
      await resolveHost(info.listenAddr, parts.host, options)
    } catch (err) {
      if (err instanceof NetAddressError) throw new NodeInfoInvalidError('listenAddr', err.message, { cause: err })
      throw err
    }
  }
  checkOtherFields(info)
}
