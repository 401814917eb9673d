import { isIP } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NetAddress, NetAddressError } from '../src/net-address/index.js'

const hexId = fc
  .array(fc.constantFrom(...'0123456789abcdefABCDEF'), { minLength: 40, maxLength: 40 })
  .map((chars) => chars.join(''))
const port = fc.integer({ min: 0, max: 65535 })
const ipv4 = fc.uint8Array({ minLength: 4, maxLength: 4 })
const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 })
/** IPv6 addresses with long zero runs, where compression matters. */
const sparseIpv6 = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
  .map((groups) => Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff])))

describe('NetAddress properties', () => {
  it('round-trips IPv4 addresses through toString and fromString', () => {
    fc.assert(
      fc.property(hexId, ipv4, port, (id, ip, p) => {
        const a = NetAddress.fromParts(id, ip, p)
        const b = NetAddress.fromString(a.toString())
        expect(b.equals(a)).toBe(true)
        expect(b.ip).toBe(Array.from(ip).join('.'))
        expect(b.isIPv4()).toBe(true)
      })
    )
  })

  it('round-trips IPv6 addresses through toString and fromString', () => {
    fc.assert(
      fc.property(hexId, fc.oneof(ipv6, sparseIpv6), port, (id, ip, p) => {
        const a = NetAddress.fromParts(id, ip, p)
        const b = NetAddress.fromString(a.toString())
        expect(b.equals(a)).toBe(true)
        expect(b.ipBytes).toEqual(a.ipBytes)
        expect(b.id).toBe(id)
        expect(b.port).toBe(p)
      })
    )
  })

  it('prints IPv6 like the WHATWG URL serializer (same RFC 5952 rules) unless IPv4-mapped', () => {
    fc.assert(
      fc.property(fc.oneof(ipv6, sparseIpv6), (ip) => {
        const a = NetAddress.fromParts('', ip, 1)
        fc.pre(!a.isIPv4())
        expect(`[${a.ip}]`).toBe(new URL(`http://[${a.ip}]/`).hostname)
        expect(new URL(`http://${a.dialString()}/`).hostname).toBe(`[${a.ip}]`)
      })
    )
  })

  it('accepts exactly the IP literals node:net accepts', () => {
    const noise = fc
      .array(fc.constantFrom(...'0123456789abcdefABCDEF:.', '::', '255', 'ffff', '1.2.3.4'), { minLength: 1, maxLength: 14 })
      .map((parts) => parts.join(''))
    // Near-valid IPv6: groups (sometimes too long), an optional `::`, an optional dotted tail.
    const group = fc.stringMatching(/^[0-9a-fA-F]{1,5}$/)
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constant('01'))
    const structured = fc
      .tuple(
        fc.array(group, { minLength: 0, maxLength: 9 }),
        fc.option(fc.nat(9)),
        fc.option(fc.array(octet, { minLength: 3, maxLength: 5 }).map((o) => o.join('.')))
      )
      .map(([groups, ellipsis, v4]) => {
        const parts = v4 === null ? [...groups] : [...groups, v4]
        if (ellipsis === null) return parts.join(':')
        const at = Math.min(ellipsis, parts.length)
        return `${parts.slice(0, at).join(':')}::${parts.slice(at).join(':')}`
      })
    const literalish = fc.oneof(noise, structured)
    fc.assert(
      fc.property(literalish, (host) => {
        const ours = (() => {
          try {
            NetAddress.fromParts('', host, 1)
            return true
          } catch {
            return false
          }
        })()
        expect(ours).toBe(isIP(host) !== 0)
      }),
      { numRuns: 5000 }
    )
  })

  it('fromString throws only NetAddressError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `${'ab'.repeat(20)}@${s}`)), (input) => {
        try {
          NetAddress.fromString(input)
        } catch (err) {
          expect(err).toBeInstanceOf(NetAddressError)
        }
      })
    )
  })
})
