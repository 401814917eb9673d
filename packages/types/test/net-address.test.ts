import { loadVector } from '@comet-p2p/testing'
import { describe, expect, it } from 'vitest'
import {
  NetAddress,
  NetAddressInvalidHostError,
  NetAddressInvalidIdError,
  NetAddressInvalidPortError,
  NetAddressNoIdError,
  Reachability,
  parseNetAddress
} from '../src/net-address/index.js'

interface NetAddressCase {
  input: string
  ok: boolean
  error: string | null
  id: string | null
  ip: string | null
  port: number | null
  string: string | null
  valid: string | null
  routable: boolean | null
  local: boolean | null
  rfc: string[] | null
}

interface ReachabilityCase {
  from: string
  to: string
  reachability: number
}

const vectors = loadVector<{ cases: NetAddressCase[]; reachability: ReachabilityCase[] }>('netaddress.json')

/** The reference predicates, in the order the vectors list them. */
const PREDICATES: [string, (a: NetAddress) => boolean][] = [
  ['RFC1918', (a) => a.rfc1918()],
  ['RFC3849', (a) => a.rfc3849()],
  ['RFC3927', (a) => a.rfc3927()],
  ['RFC3964', (a) => a.rfc3964()],
  ['RFC4193', (a) => a.rfc4193()],
  ['RFC4380', (a) => a.rfc4380()],
  ['RFC4843', (a) => a.rfc4843()],
  ['RFC4862', (a) => a.rfc4862()],
  ['RFC6052', (a) => a.rfc6052()],
  ['RFC6145', (a) => a.rfc6145()],
  ['OnionCatTor', (a) => a.onionCatTor()]
]

/** The error class expected for a Go error text of `NewNetAddressString`. */
function expectedErrorClass(goError: string): new (...args: never[]) => Error {
  if (goError.endsWith('does not contain ID')) return NetAddressNoIdError
  if (/: (no ID|encoding\/hex|invalid hex length)/.test(goError)) return NetAddressInvalidIdError
  if (goError.includes('strconv.ParseUint')) return NetAddressInvalidPortError
  return NetAddressInvalidHostError
}

/** Inputs whose host is a name: they need the resolving parser. */
const needsLookup = (input: string): boolean => input.includes('@localhost:')

function checkParsed(address: NetAddress, c: NetAddressCase): void {
  expect(address.id).toBe(c.id)
  expect(address.ip).toBe(c.ip)
  expect(address.port).toBe(c.port)
  expect(address.toString()).toBe(c.string)
  expect(address.toProto()).toEqual({ id: c.id, ip: c.ip, port: c.port })
  const valid = address.valid()
  if (c.valid === null) {
    expect(valid).toBeNull()
  } else {
    expect(valid?.reason).toBe(c.valid.startsWith('invalid ID') ? 'id' : 'ip')
  }
  expect(address.routable()).toBe(c.routable)
  expect(address.local()).toBe(c.local)
  expect(PREDICATES.filter(([, holds]) => holds(address)).map(([name]) => name)).toEqual(c.rfc)
}

describe('netaddress.json cases', () => {
  it('has 69 cases and 19 reachability pairs', () => {
    expect(vectors.cases).toHaveLength(69)
    expect(vectors.reachability).toHaveLength(19)
  })

  for (const c of vectors.cases) {
    const label = JSON.stringify(c.input)
    if (!c.ok) {
      it(`rejects ${label}`, async () => {
        const cls = expectedErrorClass(c.error!)
        expect(() => NetAddress.fromString(c.input)).toThrow(cls)
        await expect(parseNetAddress(c.input)).rejects.toBeInstanceOf(cls)
      })
    } else if (needsLookup(c.input)) {
      it(`resolves ${label} with the system resolver`, async () => {
        checkParsed(await parseNetAddress(c.input), c)
        expect(() => NetAddress.fromString(c.input)).toThrow(NetAddressInvalidHostError)
      })
    } else {
      it(`parses ${label}`, async () => {
        const address = NetAddress.fromString(c.input)
        checkParsed(address, c)
        const resolved = await parseNetAddress(c.input, {
          lookup: () => Promise.reject(new Error('no lookup expected for an IP literal'))
        })
        expect(resolved.equals(address)).toBe(true)
        expect(NetAddress.fromProto(address.toProto()).equals(address)).toBe(true)
        expect(NetAddress.fromString(address.toString()).equals(address)).toBe(true)
      })
    }
  }
})

describe('netaddress.json reachability', () => {
  for (const r of vectors.reachability) {
    it(`${r.from} -> ${r.to} = ${r.reachability}`, () => {
      const from = NetAddress.fromString(r.from)
      const to = NetAddress.fromString(r.to)
      expect(from.reachabilityTo(to)).toBe(r.reachability)
    })
  }

  it('uses the reference numbering', () => {
    expect(Reachability).toEqual({ Unreachable: 0, Default: 1, Teredo: 2, Ipv6Weak: 3, Ipv4: 4, Ipv6Strong: 5 })
  })
})
