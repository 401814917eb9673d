import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ed25519 } from '@noble/curves/ed25519.js'
import fc from 'fast-check'
import { fromHex, loadVector, toHex } from '@comet-p2p/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  InvalidNodeIdError,
  InvalidNodeKeyError,
  NodeKey,
  assertNodeId,
  formatNodeKeyJson,
  isValidNodeId,
  loadNodeKey,
  loadOrGenerateNodeKey,
  nodeIdFromPubKey,
  parseNodeKeyJson,
  saveNodeKey,
  verifyEd25519
} from '../src/index.js'

interface KeyCase {
  name: string
  seed_hex: string
  priv_key_hex: string
  pub_key_hex: string
  id: string
  node_key_json: string
  sample_signature: { message_hex: string; signature_hex: string }
}

const { cases } = loadVector<{ cases: KeyCase[] }>('keys.json')

describe('keys.json vectors', () => {
  it('has six keys', () => expect(cases).toHaveLength(6))

  for (const c of cases) {
    describe(c.name, () => {
      const key = NodeKey.fromSeed(fromHex(c.seed_hex))

      it('derives the public key and ID from the seed', () => {
        expect(toHex(key.publicKey)).toBe(c.pub_key_hex)
        expect(key.id).toBe(c.id)
        expect(nodeIdFromPubKey(fromHex(c.pub_key_hex))).toBe(c.id)
      })

      it('stores the private key in the reference layout', () => {
        expect(toHex(key.privateKeyBytes())).toBe(c.priv_key_hex)
      })

      it('parses node_key.json to the same key', () => {
        const parsed = parseNodeKeyJson(c.node_key_json)
        expect(parsed.id).toBe(c.id)
        expect(toHex(parsed.privateKeyBytes())).toBe(c.priv_key_hex)
      })

      it('writes node_key.json byte for byte', () => {
        expect(formatNodeKeyJson(key)).toBe(c.node_key_json)
      })

      it('reproduces and verifies the sample signature', () => {
        const message = fromHex(c.sample_signature.message_hex)
        const signature = key.sign(message)
        expect(toHex(signature)).toBe(c.sample_signature.signature_hex)
        expect(key.verify(message, signature)).toBe(true)
        expect(verifyEd25519(key.publicKey, message, fromHex(c.sample_signature.signature_hex))).toBe(true)
        const tampered = Uint8Array.from(signature)
        tampered[0] = (tampered[0] ?? 0) ^ 1
        expect(verifyEd25519(key.publicKey, message, tampered)).toBe(false)
      })
    })
  }
})

describe('NodeKey', () => {
  it('generates distinct keys with valid IDs', () => {
    const a = NodeKey.generate()
    const b = NodeKey.generate()
    expect(a.id).not.toBe(b.id)
    expect(isValidNodeId(a.id)).toBe(true)
    expect(a.id).toMatch(/^[0-9a-f]{40}$/)
  })

  it('rejects seeds and private keys of the wrong length', () => {
    expect(() => NodeKey.fromSeed(new Uint8Array(31))).toThrow(InvalidNodeKeyError)
    expect(() => NodeKey.fromPrivateKey(new Uint8Array(63))).toThrow(InvalidNodeKeyError)
  })

  it('rejects a private key whose public half does not match the seed', () => {
    const bytes = NodeKey.generate().privateKeyBytes()
    bytes[40] = (bytes[40] ?? 0) ^ 0xff
    expect(() => NodeKey.fromPrivateKey(bytes)).toThrow(/does not match/)
  })

  it('signs exactly as a pure JavaScript ed25519 does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), (seed, message) => {
        expect(toHex(NodeKey.fromSeed(seed).sign(message))).toBe(toHex(ed25519.sign(message, seed)))
      }),
      { numRuns: 200 }
    )
  })

  it('verifyEd25519 answers false for malformed keys and signatures', () => {
    const key = NodeKey.generate()
    const msg = new Uint8Array([1, 2, 3])
    expect(verifyEd25519(new Uint8Array(31), msg, key.sign(msg))).toBe(false)
    expect(verifyEd25519(key.publicKey, msg, new Uint8Array(63))).toBe(false)
    expect(verifyEd25519(new Uint8Array(32).fill(0xff), msg, key.sign(msg))).toBe(false)
  })
})

describe('node IDs', () => {
  it('accepts 40 hex characters in either case', () => {
    expect(isValidNodeId('959c2a1a691be4f6830d6b610ba61d114388ae60')).toBe(true)
    expect(isValidNodeId('959C2A1A691BE4F6830D6B610BA61D114388AE60')).toBe(true)
  })

  it.each(['', 'abc', '959c2a1a691be4f6830d6b610ba61d114388ae6', '959c2a1a691be4f6830d6b610ba61d114388ae600', 'z59c2a1a691be4f6830d6b610ba61d114388ae60'])(
    'rejects %j with a typed error',
    (id) => {
      expect(isValidNodeId(id)).toBe(false)
      expect(() => assertNodeId(id)).toThrow(InvalidNodeIdError)
    }
  )

  it('refuses a public key of the wrong length', () => {
    expect(() => nodeIdFromPubKey(new Uint8Array(33))).toThrow(InvalidNodeIdError)
  })
})

describe('node_key.json parsing errors', () => {
  const good = JSON.parse(loadVector<{ cases: KeyCase[] }>('keys.json').cases[0]!.node_key_json) as {
    priv_key: { type: string; value: string }
  }
  const bad: Array<[string, string]> = [
    ['not JSON', '{"priv_key":'],
    ['no priv_key', '{}'],
    ['no type', JSON.stringify({ priv_key: { value: good.priv_key.value } })],
    ['secp256k1 key', JSON.stringify({ priv_key: { type: 'tendermint/PrivKeySecp256k1', value: good.priv_key.value } })],
    ['not base64', JSON.stringify({ priv_key: { type: good.priv_key.type, value: '!!!!' } })],
    ['short key', JSON.stringify({ priv_key: { type: good.priv_key.type, value: 'AAAA' } })],
    ['value not a string', JSON.stringify({ priv_key: { type: good.priv_key.type, value: 5 } })]
  ]
  it.each(bad)('%s is an InvalidNodeKeyError', (_name, text) => {
    expect(() => parseNodeKeyJson(text)).toThrow(InvalidNodeKeyError)
  })

  it('accepts the same document pretty-printed', () => {
    expect(() => parseNodeKeyJson(JSON.stringify(good, null, 2) + '\n')).not.toThrow()
  })
})

describe('node key files', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'comet-p2p-key-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('saves with mode 0600 and loads the same key', async () => {
    const key = NodeKey.generate()
    const path = join(dir, 'config', 'node_key.json')
    await saveNodeKey(key, path)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readFile(path, 'utf8')).toBe(formatNodeKeyJson(key))
    expect((await loadNodeKey(path)).id).toBe(key.id)
  })

  it('loads a file written by the reference', async () => {
    const c = loadVector<{ cases: KeyCase[] }>('keys.json').cases[2]!
    const path = join(dir, 'node_key.json')
    await writeFile(path, c.node_key_json)
    expect((await loadNodeKey(path)).id).toBe(c.id)
  })

  it('names the file in errors', async () => {
    const path = join(dir, 'node_key.json')
    await writeFile(path, 'garbage')
    await expect(loadNodeKey(path)).rejects.toThrow(path)
    await expect(loadNodeKey(join(dir, 'missing.json'))).rejects.toBeInstanceOf(InvalidNodeKeyError)
  })

  it('loadOrGenerateNodeKey creates once, then reuses', async () => {
    const path = join(dir, 'node_key.json')
    const first = await loadOrGenerateNodeKey(path)
    const second = await loadOrGenerateNodeKey(path)
    expect(second.id).toBe(first.id)
  })

  it('loadOrGenerateNodeKey does not overwrite a corrupt key', async () => {
    const path = join(dir, 'node_key.json')
    await writeFile(path, '{"broken":')
    await expect(loadOrGenerateNodeKey(path)).rejects.toBeInstanceOf(InvalidNodeKeyError)
    expect(await readFile(path, 'utf8')).toBe('{"broken":')
  })
})
