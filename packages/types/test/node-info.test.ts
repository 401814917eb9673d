import { fromHex, loadVector, toHex } from '@comet-p2p/testing'
import { describe, expect, it } from 'vitest'
import { DecodeError, InvalidArgumentError } from '../src/errors.js'
import {
  NetAddressInvalidHostError,
  NetAddressInvalidIdError,
  NetAddressInvalidPortError,
  NetAddressLookupError,
  NetAddressNoIdError
} from '../src/net-address/index.js'
import {
  MAX_NODE_INFO_SIZE,
  MAX_NUM_CHANNELS,
  NodeInfoIncompatibleError,
  NodeInfoInvalidError,
  checkCompatible,
  compatibilityError,
  decodeNodeInfo,
  encodeNodeInfo,
  isCompatible,
  validateNodeInfo,
  validateNodeInfoAsync,
  type NodeInfo
} from '../src/node-info/index.js'

interface VectorInfo {
  protocol_version: { p2p: number; block: number; app: number }
  id: string
  listen_addr: string
  network: string
  version: string
  channels_hex: string
  moniker: string
  other: { tx_index: string; rpc_address: string }
}

interface NodeInfoVectors {
  max_node_info_size: number
  encodings: { name: string; info: VectorInfo; proto_hex: string; delimited_hex: string }[]
  validation: { name: string; info: VectorInfo; validate_error: string | null }[]
  compatibility: { name: string; ours: VectorInfo; peer: VectorInfo; compatible_error: string | null }[]
}

const vectors = loadVector<NodeInfoVectors>('node-info.json')

function toNodeInfo(v: VectorInfo): NodeInfo {
  return {
    protocolVersion: { ...v.protocol_version },
    id: v.id,
    listenAddr: v.listen_addr,
    network: v.network,
    version: v.version,
    channels: fromHex(v.channels_hex),
    moniker: v.moniker,
    other: { txIndex: v.other.tx_index, rpcAddress: v.other.rpc_address }
  }
}

/** Local uvarint so the test does not depend on the framing module. */
function uvarint(n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80)
    n = Math.floor(n / 0x80)
  }
  out.push(n)
  return Uint8Array.from(out)
}

function readUvarint(bytes: Uint8Array): [value: number, length: number] {
  let value = 0
  for (let i = 0; i < bytes.length; i++) {
    value += (bytes[i]! & 0x7f) * 2 ** (7 * i)
    if (bytes[i]! < 0x80) return [value, i + 1]
  }
  throw new Error('truncated uvarint')
}

describe('node-info.json encodings', () => {
  it('agrees on the size limit', () => expect(MAX_NODE_INFO_SIZE).toBe(vectors.max_node_info_size))

  for (const c of vectors.encodings) {
    describe(c.name, () => {
      const info = toNodeInfo(c.info)

      it('encodes to proto_hex and delimited_hex', () => {
        const proto = encodeNodeInfo(info)
        expect(toHex(proto)).toBe(c.proto_hex)
        expect(toHex(uvarint(proto.length)) + toHex(proto)).toBe(c.delimited_hex)
        expect(proto.length).toBeLessThanOrEqual(MAX_NODE_INFO_SIZE)
      })

      it('decodes delimited_hex back to the same fields', () => {
        const delimited = fromHex(c.delimited_hex)
        const [length, prefix] = readUvarint(delimited)
        expect(prefix + length).toBe(delimited.length)
        expect(decodeNodeInfo(delimited.subarray(prefix))).toEqual(info)
      })
    })
  }
})

/** The field and NetAddress error class a Go `Validate()` message points at. */
function expectedFailure(goError: string): { field: string; cause?: new (...args: never[]) => Error } {
  if (goError.startsWith('invalid address (') || goError.startsWith('address (')) {
    if (goError.endsWith('does not contain ID')) return { field: 'listenAddr', cause: NetAddressNoIdError }
    if (/: (no ID|encoding\/hex|invalid hex length)/.test(goError)) return { field: 'id', cause: NetAddressInvalidIdError }
    if (goError.includes('strconv.ParseUint')) return { field: 'listenAddr', cause: NetAddressInvalidPortError }
    return { field: 'listenAddr', cause: NetAddressInvalidHostError }
  }
  const prefixes: [string, string][] = [
    ['info.Version', 'version'],
    ['info.Channels', 'channels'],
    ['info.Moniker', 'moniker'],
    ['info.Other.TxIndex', 'other.txIndex'],
    ['info.Other.RPCAddress', 'other.rpcAddress']
  ]
  const hit = prefixes.find(([prefix]) => goError.startsWith(prefix))
  if (hit === undefined) throw new Error(`unexpected reference error ${goError}`)
  return { field: hit[1] }
}

function caught(fn: () => void): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  return undefined
}

describe('node-info.json validation', () => {
  it('has 36 cases', () => expect(vectors.validation).toHaveLength(36))

  for (const c of vectors.validation) {
    const info = toNodeInfo(c.info)
    if (c.validate_error === null) {
      it(`${c.name}: valid`, async () => {
        expect(() => validateNodeInfo(info)).not.toThrow()
        // Resolves `localhost` through the system resolver, like the reference.
        await expect(validateNodeInfoAsync(info)).resolves.toBeUndefined()
      })
    } else {
      const { field, cause } = expectedFailure(c.validate_error)
      it(`${c.name}: invalid ${field}`, async () => {
        const err = caught(() => validateNodeInfo(info))
        expect(err).toBeInstanceOf(NodeInfoInvalidError)
        expect(err).toMatchObject({ code: 'ERR_NODE_INFO_INVALID', name: 'NodeInfoInvalidError', field })
        if (cause !== undefined) expect((err as Error).cause).toBeInstanceOf(cause)
        await expect(validateNodeInfoAsync(info)).rejects.toMatchObject({ field })
      })
    }
  }
})

describe('node-info.json compatibility', () => {
  it('has 14 cases', () => expect(vectors.compatibility).toHaveLength(14))

  const reasons: [RegExp, string][] = [
    [/different Block version/, 'block_version'],
    [/different network/, 'network'],
    [/no common channels/, 'channels']
  ]
  for (const c of vectors.compatibility) {
    const ours = toNodeInfo(c.ours)
    const peer = toNodeInfo(c.peer)
    const expected = c.compatible_error === null ? null : reasons.find(([re]) => re.test(c.compatible_error!))![1]
    it(`${c.name}: ${expected ?? 'compatible'}`, () => {
      expect(isCompatible(ours, peer)).toBe(expected === null)
      expect(compatibilityError(ours, peer)?.reason ?? null).toBe(expected)
      if (expected === null) {
        expect(() => checkCompatible(ours, peer)).not.toThrow()
      } else {
        const err = caught(() => checkCompatible(ours, peer))
        expect(err).toBeInstanceOf(NodeInfoIncompatibleError)
        expect(err).toMatchObject({ code: 'ERR_NODE_INFO_INCOMPATIBLE', name: 'NodeInfoIncompatibleError', reason: expected })
      }
    })
  }
})

describe('NodeInfo codec details', () => {
  const base = toNodeInfo(vectors.encodings[0]!.info)
  const empty: NodeInfo = {
    protocolVersion: { p2p: 0, block: 0, app: 0 },
    id: '',
    listenAddr: '',
    network: '',
    version: '',
    channels: new Uint8Array(),
    moniker: '',
    other: { txIndex: '', rpcAddress: '' }
  }

  it('always writes protocol_version and other, even when empty', () => {
    expect(toHex(encodeNodeInfo(empty))).toBe('0a004200')
    expect(decodeNodeInfo(new Uint8Array())).toEqual(empty)
  })

  it('exports the channel limit', () => expect(MAX_NUM_CHANNELS).toBe(16))

  it('refuses protocol versions a JS number cannot carry exactly', () => {
    const info = { ...base, protocolVersion: { p2p: 8, block: 2 ** 53, app: 0 } }
    expect(() => encodeNodeInfo(info)).toThrow(InvalidArgumentError)
    expect(() => encodeNodeInfo({ ...base, protocolVersion: { p2p: -1, block: 11, app: 0 } })).toThrow(InvalidArgumentError)
    // protocol_version { app = 2^64 - 1 }
    expect(() => decodeNodeInfo(fromHex('0a0b18ffffffffffffffffff01'))).toThrow(DecodeError)
  })

  it.each([
    ['a truncated message', encodeNodeInfo(base).subarray(0, 30)],
    ['a known field with the wrong wire type', fromHex('1001')],
    ['a nested field with the wrong wire type', fromHex('0a021a00')],
    ['invalid UTF-8', fromHex('3a02c328')],
    ['a bad length', fromHex('3aff')]
  ])('rejects %s with DecodeError', (_what, bytes) => {
    expect(() => decodeNodeInfo(bytes)).toThrow(DecodeError)
  })

  it('skips unknown fields', () => {
    const bytes = Uint8Array.from([...encodeNodeInfo(base), 0x48, 0x01])
    expect(decodeNodeInfo(bytes)).toEqual(base)
  })

  it('returns channels detached from the input buffer', () => {
    const bytes = encodeNodeInfo(base)
    const decoded = decodeNodeInfo(bytes)
    bytes.fill(0)
    expect(toHex(decoded.channels)).toBe('40202122233038606100')
  })
})

describe('NodeInfo listen-address resolution', () => {
  const base = toNodeInfo(vectors.validation[0]!.info)

  it('checks host names for syntax only in the synchronous validator', async () => {
    const named = { ...base, listenAddr: 'tcp://node.invalid:26656' }
    expect(() => validateNodeInfo(named)).not.toThrow()
    await expect(
      validateNodeInfoAsync(named, { lookup: () => Promise.reject(new Error('NXDOMAIN')) })
    ).rejects.toSatisfy((err: unknown) => err instanceof NodeInfoInvalidError && err.field === 'listenAddr' && err.cause instanceof NetAddressLookupError)
    await expect(validateNodeInfoAsync(named, { lookup: async () => ['10.0.0.1'] })).resolves.toBeUndefined()
    expect(() => validateNodeInfo({ ...base, listenAddr: 'bad host!:1' })).toThrow(NodeInfoInvalidError)
  })

  it('reports the listen address before later fields even when resolving', async () => {
    const info = { ...base, listenAddr: 'node.invalid:26656', moniker: '' }
    await expect(validateNodeInfoAsync(info, { lookup: () => Promise.reject(new Error('NXDOMAIN')) })).rejects.toMatchObject({
      field: 'listenAddr'
    })
    await expect(validateNodeInfoAsync(info, { lookup: async () => ['10.0.0.1'] })).rejects.toMatchObject({ field: 'moniker' })
  })
})
