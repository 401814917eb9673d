/**
 * IP address parsing and printing with the semantics of Go's `net.IP`, which
 * the reference implementation uses everywhere: an address is 16 bytes, an
 * IPv4 address being stored in its IPv4-mapped form `::ffff:a.b.c.d`, and it
 * prints as dotted IPv4 whenever it is IPv4-mapped.
 */

/** Length of the normalised address representation. */
export const IP_BYTE_LENGTH = 16

/** True when `ip` (16 bytes) is an IPv4-mapped address, i.e. Go's `To4() != nil`. */
export function isIPv4Mapped(ip: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false
  return ip[10] === 0xff && ip[11] === 0xff
}

/** The 16-byte form of an IPv4 address given as four bytes. */
export function ipv4Mapped(a: number, b: number, c: number, d: number): Uint8Array {
  return Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, a, b, c, d)
}

/**
 * Parses four dotted decimal fields. Like Go since 1.17, a field with a
 * leading zero is refused, because other parsers read it as octal.
 */
function parseIPv4Fields(s: string): number[] | undefined {
  const fields = s.split('.')
  if (fields.length !== 4) return undefined
  const out: number[] = []
  for (const field of fields) {
    if (!/^[0-9]{1,3}$/.test(field)) return undefined
    if (field.length > 1 && field.startsWith('0')) return undefined
    const value = Number(field)
    if (value > 255) return undefined
    out.push(value)
  }
  return out
}

function parseIPv4(s: string): Uint8Array | undefined {
  const f = parseIPv4Fields(s)
  return f === undefined ? undefined : ipv4Mapped(f[0]!, f[1]!, f[2]!, f[3]!)
}

/**
 * Parses the textual IPv6 forms Go accepts: hex groups of 1 to 4 digits,
 * at most one `::` standing for at least one zero group, and an optional
 * dotted IPv4 tail occupying the last 32 bits.
 */
function parseIPv6(s: string): Uint8Array | undefined {
  const ip = new Uint8Array(IP_BYTE_LENGTH)
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] ?? ''
  const tail = halves[1]
  const headGroups = parseGroups(head, tail === undefined)
  if (headGroups === undefined) return undefined
  const tailGroups = tail === undefined ? [] : parseGroups(tail, true)
  if (tailGroups === undefined) return undefined
  const total = headGroups.length + tailGroups.length
  if (tail === undefined ? total !== 8 : total > 7) return undefined
  headGroups.forEach((g, i) => writeGroup(ip, i, g))
  tailGroups.forEach((g, i) => writeGroup(ip, 8 - tailGroups.length + i, g))
  return ip
}

function writeGroup(ip: Uint8Array, index: number, value: number): void {
  ip[index * 2] = value >> 8
  ip[index * 2 + 1] = value & 0xff
}

/**
 * Splits one side of a `::` into 16-bit groups. An empty side has no groups.
 * A dotted IPv4 tail is allowed only as the last field of the address and
 * counts as two groups.
 */
function parseGroups(part: string, mayEndWithIPv4: boolean): number[] | undefined {
  if (part === '') return []
  const fields = part.split(':')
  const groups: number[] = []
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!
    if (field.includes('.')) {
      if (!mayEndWithIPv4 || i !== fields.length - 1) return undefined
      const v4 = parseIPv4Fields(field)
      if (v4 === undefined) return undefined
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(field)) return undefined
      groups.push(parseInt(field, 16))
    }
  }
  return groups
}

/**
 * Parses an IP literal into its 16-byte form, or returns `undefined`.
 * With `allowZone`, an IPv6 literal may carry a non-empty `%zone`, which is
 * dropped: the reference gets zoned literals through its resolver, which
 * keeps only the address. Go's `net.ParseIP` itself (used for PEX
 * addresses) refuses zones, hence the option.
 */
export function parseIP(s: string, allowZone = false): Uint8Array | undefined {
  // Go decides the family from the first separator it meets.
  const sep = /[.:%]/.exec(s)?.[0]
  if (sep === '.') return parseIPv4(s)
  if (sep !== ':') return undefined
  const percent = s.indexOf('%')
  if (percent === -1) return parseIPv6(s)
  if (!allowZone || percent === s.length - 1) return undefined
  return parseIPv6(s.slice(0, percent))
}

/**
 * Accepts a 4-byte IPv4 or a 16-byte address and returns a fresh 16-byte
 * copy, or `undefined` for any other length.
 */
export function normaliseIPBytes(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length === 4) return ipv4Mapped(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!)
  if (bytes.length === IP_BYTE_LENGTH) return Uint8Array.from(bytes)
  return undefined
}

/**
 * Prints a 16-byte address as Go's `net.IP.String()` does: dotted IPv4 for
 * IPv4-mapped addresses, otherwise lowercase IPv6 with the longest run of two
 * or more zero groups (the first one on a tie) written as `::` (RFC 5952).
 */
export function formatIP(ip: Uint8Array): string {
  if (isIPv4Mapped(ip)) return `${ip[12]}.${ip[13]}.${ip[14]}.${ip[15]}`
  const groups: number[] = []
  for (let i = 0; i < 8; i++) groups.push((ip[i * 2]! << 8) | ip[i * 2 + 1]!)
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8; ) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) {
      bestStart = i
      bestLength = j - i
    }
    i = j === i ? i + 1 : j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart === -1) return hex.join(':')
  const left = hex.slice(0, bestStart).join(':')
  const right = hex.slice(bestStart + bestLength).join(':')
  return `${left}::${right}`
}
