import { describe, expect, it, vi } from 'vitest'
import { AbortError, TimeoutError } from '../src/errors.js'
import {
  DEFAULT_LOOKUP_TIMEOUT_MS,
  NetAddress,
  NetAddressError,
  NetAddressInvalidHostError,
  NetAddressInvalidIdError,
  NetAddressInvalidPortError,
  NetAddressLookupError,
  NetAddressNoIdError,
  parseNetAddress,
  parseNetAddresses,
  type HostLookup
} from '../src/net-address/index.js'

const ID = '959c2a1a691be4f6830d6b610ba61d114388ae60'
const ID2 = '1aec3df3f61127ad26dbc1ef48f5a087595b322e'
const at = (hostPort: string, id = ID): NetAddress => NetAddress.fromString(`${id}@${hostPort}`)

describe('NetAddress.fromString', () => {
  it.each([
    ['[0:0:0:0:0:0:0:1]:1', '::1'],
    ['[1:0:0:2:0:0:0:3]:1', '1:0:0:2::3'],
    ['[1:0:0:2:0:0:3:4]:1', '1::2:0:0:3:4'],
    ['[1:0:2:3:4:5:6:7]:1', '1:0:2:3:4:5:6:7'],
    ['[1::]:1', '1::'],
    ['[::1.2.3.4]:1', '::102:304'],
    ['[::FFFF:1.2.3.4]:1', '1.2.3.4'],
    ['[1:2:3:4:5:6:1.2.3.4]:1', '1:2:3:4:5:6:102:304'],
    ['[2001:DB8:0:0:1::1]:1', '2001:db8::1:0:0:1'],
    ['[fe80::1%25en0]:1', 'fe80::1']
  ])('prints %s as Go does (%s)', (hostPort, ip) => {
    expect(at(hostPort).ip).toBe(ip)
  })

  it.each([
    ['0080', 80],
    ['0000000000080', 80],
    ['00000', 0]
  ])('accepts port %s with leading zeros', (port, expected) => {
    expect(at(`1.2.3.4:${port}`).port).toBe(expected)
  })

  it.each(['1_0', ' 80', '80 ', '0x50', '١٢', '999999', '8e1'])('rejects port %j', (port) => {
    expect(() => at(`1.2.3.4:${port}`)).toThrow(NetAddressInvalidPortError)
  })

  it.each([
    '[::1:80',
    ']::1[:80',
    '[::1]x:80',
    '[::1]:80]',
    '01.2.3.4:80',
    '1.2.3.4%eth0:80',
    '[fe80::1%]:80',
    '[1::2::3]:80',
    '[1:2:3:4:5:6:7:8:9]:80',
    '[1:2:3:4:5:6::1.2.3.4]:80',
    '[12345::]:80',
    '1.2.3.256:80',
    'bad host:80'
  ])('rejects host in %j', (hostPort) => {
    expect(() => at(hostPort)).toThrow(NetAddressInvalidHostError)
  })

  it('refuses host names, naming the way out', () => {
    expect(() => at('example.com:80')).toThrow(/parseNetAddress/)
  })

  it('keeps only the text between the first and second "://"', () => {
    expect(at('1.2.3.4:1', `tcp://${ID}`).id).toBe(ID)
    expect(() => NetAddress.fromString(`a://b://${ID}@1.2.3.4:1`)).toThrow(NetAddressNoIdError)
  })

  it('carries the input and typed details on errors', () => {
    const input = `${ID.slice(2)}@1.2.3.4:1`
    const err = (() => {
      try {
        NetAddress.fromString(input)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(err).toBeInstanceOf(NetAddressInvalidIdError)
    expect(err).toBeInstanceOf(NetAddressError)
    expect(err).toMatchObject({ code: 'ERR_NET_ADDRESS_INVALID_ID', name: 'NetAddressInvalidIdError', input, id: ID.slice(2) })
    expect(() => at('1.2.3.4:65536')).toThrow(expect.objectContaining({ port: '65536', code: 'ERR_NET_ADDRESS_INVALID_PORT' }))
  })
})

describe('NetAddress.fromProto / fromParts', () => {
  it('reads PEX addresses, printing IPv4-mapped ones as IPv4', () => {
    const a = NetAddress.fromProto({ id: ID, ip: '::ffff:5.6.7.8', port: 26656 })
    expect(a.toProto()).toEqual({ id: ID, ip: '5.6.7.8', port: 26656 })
    expect(a.isIPv4()).toBe(true)
  })

  it.each(['', 'localhost', 'fe80::1%eth0', '1.2.3.256', '[::1]'])('rejects IP %j', (ip) => {
    expect(() => NetAddress.fromProto({ id: ID, ip, port: 1 })).toThrow(NetAddressInvalidHostError)
  })

  it.each([65536, 2 ** 32 - 1, -1, 1.5, Number.NaN])('rejects port %d', (port) => {
    expect(() => NetAddress.fromProto({ id: ID, ip: '1.2.3.4', port })).toThrow(NetAddressInvalidPortError)
  })

  it('does not check the ID, leaving it to valid()', () => {
    const a = NetAddress.fromProto({ id: 'nope', ip: '1.2.3.4', port: 1 })
    expect(a.valid()).toMatchObject({ code: 'ERR_NET_ADDRESS_INVALID', reason: 'id' })
    expect(a.routable()).toBe(false)
    expect(NetAddress.fromProto({ id: '', ip: '1.2.3.4', port: 1 }).toString()).toBe('1.2.3.4:1')
  })

  it('accepts 4- and 16-byte IPs and zoned literals', () => {
    expect(NetAddress.fromParts(ID, Uint8Array.of(10, 0, 0, 1), 1).ip).toBe('10.0.0.1')
    const v6 = new Uint8Array(16)
    v6[15] = 1
    expect(NetAddress.fromParts(ID, v6, 1).ip).toBe('::1')
    expect(NetAddress.fromParts(ID, 'fe80::2%eth0', 1).ip).toBe('fe80::2')
    expect(() => NetAddress.fromParts(ID, new Uint8Array(5), 1)).toThrow(NetAddressInvalidHostError)
  })

  it('gives out a copy of the IP bytes', () => {
    const a = at('1.2.3.4:1')
    const bytes = a.ipBytes
    expect(Array.from(bytes)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4])
    bytes[12] = 9
    expect(a.ip).toBe('1.2.3.4')
    expect(a.ipBytes[12]).toBe(1)
  })
})

describe('NetAddress comparisons and predicates', () => {
  it('equals compares id, ip and port', () => {
    expect(at('1.2.3.4:1').equals(at('[::ffff:1.2.3.4]:1'))).toBe(true)
    expect(at('1.2.3.4:1').equals(at('1.2.3.4:2'))).toBe(false)
    expect(at('1.2.3.4:1').equals(at('1.2.3.4:1', ID.toUpperCase()))).toBe(false)
  })

  it('same matches the dial string or a non-empty ID', () => {
    expect(at('1.2.3.4:1').same(at('1.2.3.4:1', ID2))).toBe(true)
    expect(at('1.2.3.4:1').same(at('5.6.7.8:9'))).toBe(true)
    expect(at('1.2.3.4:1').same(at('5.6.7.8:9', ID2))).toBe(false)
    const noId = NetAddress.fromParts('', '1.2.3.4', 1)
    expect(noId.same(NetAddress.fromParts('', '5.6.7.8', 1))).toBe(false)
  })

  it('brackets IPv6 in the dial string', () => {
    expect(at('[2001:4860::1]:443').dialString()).toBe('[2001:4860::1]:443')
    expect(at('1.2.3.4:443').dialString()).toBe('1.2.3.4:443')
  })

  it.each([
    ['100.64.0.1', true, false],
    ['100.127.255.255', true, false],
    ['100.128.0.0', false, false],
    ['198.18.0.0', false, true],
    ['198.19.255.255', false, true],
    ['198.20.0.0', false, false],
    ['[::ffff:100.64.0.1]', true, false],
    ['[::6440:1]', false, false]
  ])('extra predicates for %s: rfc6598 %s, rfc2544 %s, routable regardless', (host, r6598, r2544) => {
    const a = at(`${host}:1`)
    expect(a.rfc6598()).toBe(r6598)
    expect(a.rfc2544()).toBe(r2544)
    expect(a.routable()).toBe(true)
  })

  it('never applies IPv4 ranges to IPv6 addresses or the reverse', () => {
    expect(at('[::a00:1]:1').rfc1918()).toBe(false)
    expect(at('[::7f00:1]:1').local()).toBe(false)
    expect(at('32.1.0.0:1').rfc4380()).toBe(false)
  })
})

describe('parseNetAddress', () => {
  const lookupOf = (answer: readonly string[]): HostLookup => vi.fn(async () => answer)

  it('uses the first address the resolver returns', async () => {
    const lookup = lookupOf(['2001:4860::1', '1.2.3.4'])
    const a = await parseNetAddress(`tcp://${ID}@seed.example.com:26656`, { lookup })
    expect(a.toString()).toBe(`${ID}@[2001:4860::1]:26656`)
    expect(lookup).toHaveBeenCalledWith('seed.example.com', expect.objectContaining({ signal: expect.any(AbortSignal) }))
  })

  it.each([
    ['no answer', lookupOf([])],
    ['a non-IP answer', lookupOf(['example.org'])],
    ['a failing resolver', () => Promise.reject(new Error('ENOTFOUND'))]
  ])('turns %s into NetAddressLookupError', async (_what, lookup: HostLookup) => {
    const input = `${ID}@seed.example.com:1`
    await expect(parseNetAddress(input, { lookup })).rejects.toMatchObject({
      code: 'ERR_NET_ADDRESS_LOOKUP',
      host: 'seed.example.com',
      input
    })
  })

  it('checks syntax and port before any lookup', async () => {
    const lookup = lookupOf(['1.2.3.4'])
    await expect(parseNetAddress(`${ID}@bad_host!:1`, { lookup })).rejects.toBeInstanceOf(NetAddressInvalidHostError)
    await expect(parseNetAddress(`${ID}@example.com:99999`, { lookup })).rejects.toBeInstanceOf(NetAddressInvalidPortError)
    expect(lookup).not.toHaveBeenCalled()
  })

  it('times out a slow lookup after the default time and aborts its signal', async () => {
    vi.useFakeTimers()
    try {
      let seen: AbortSignal | undefined
      const lookup: HostLookup = (_host, { signal }) => {
        seen = signal
        return new Promise(() => undefined)
      }
      const outcome = parseNetAddress(`${ID}@slow.example:1`, { lookup }).catch((e: unknown) => e)
      await vi.advanceTimersByTimeAsync(DEFAULT_LOOKUP_TIMEOUT_MS - 1)
      expect(seen?.aborted).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      const err = await outcome
      expect(err).toBeInstanceOf(NetAddressLookupError)
      expect((err as Error).cause).toBeInstanceOf(TimeoutError)
      expect(seen?.aborted).toBe(true)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })

  it('rejects with AbortError when the caller aborts', async () => {
    const controller = new AbortController()
    const pending = parseNetAddress(`${ID}@slow.example:1`, { lookup: () => new Promise(() => undefined), signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(AbortError)
    const lookup = lookupOf(['1.2.3.4'])
    await expect(parseNetAddress(`${ID}@x.example:1`, { lookup, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError)
    expect(lookup).not.toHaveBeenCalled()
  })
})

describe('parseNetAddresses', () => {
  const lookup: HostLookup = async (host) => (host === 'good.example' ? ['10.0.0.7'] : Promise.reject(new Error('NXDOMAIN')))

  it('splits a comma-separated setting, trims and drops empty entries', async () => {
    const setting = ` ${ID}@1.2.3.4:1 ,, ${ID2}@good.example:2,\t, 1.2.3.4:3 ,${ID}@bad.example:4 `
    const { addresses, errors } = await parseNetAddresses(setting, { lookup })
    expect(addresses.map(String)).toEqual([`${ID}@1.2.3.4:1`, `${ID2}@10.0.0.7:2`])
    expect(errors.map((e) => [e.constructor, e.input])).toEqual([
      [NetAddressNoIdError, '1.2.3.4:3'],
      [NetAddressLookupError, `${ID}@bad.example:4`]
    ])
  })

  it('uses array entries as given', async () => {
    const { addresses, errors } = await parseNetAddresses([`${ID}@1.2.3.4:1`, '', ` ${ID}@1.2.3.4:1`], { lookup })
    expect(addresses).toHaveLength(1)
    expect(errors.map((e) => e.constructor)).toEqual([NetAddressNoIdError, NetAddressInvalidIdError])
  })

  it('returns nothing for an empty setting', async () => {
    expect(await parseNetAddresses('')).toEqual({ addresses: [], errors: [] })
  })

  it('rejects on cancellation instead of reporting it per entry', async () => {
    const never: HostLookup = () => new Promise(() => undefined)
    const controller = new AbortController()
    const pending = parseNetAddresses([`${ID}@a.example:1`, `${ID}@1.2.3.4:1`], { lookup: never, signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(AbortError)
  })
})
