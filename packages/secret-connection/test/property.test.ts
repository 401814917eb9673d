import { randomBytes } from 'node:crypto'
import { CometError } from '@comet-p2p/types'
import { duplexPair } from '@comet-p2p/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FrameOpener, FrameSealer, Handshake, SEALED_FRAME_SIZE, makeSecretConnection } from '../src/index.js'
import { concat, connectionVectors, roleView, testBackends } from './support/vectors.js'

const { backend } = testBackends()[0]!
const key = randomBytes(32)

/** Splits `data` at the given cut points (sorted, deduplicated, clipped). */
function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((x, y) => x - y)
  const parts: Uint8Array[] = []
  let last = 0
  for (const p of points) {
    parts.push(data.subarray(last, p))
    last = p
  }
  parts.push(data.subarray(last))
  return parts
}

/** Runs the opener over the pieces; returns the payload or the error it threw. */
function openPieces(pieces: Uint8Array[]): { payload: Uint8Array; error: unknown; buffered: number } {
  const opener = new FrameOpener(backend.createCipher(key))
  const out: Uint8Array[] = []
  try {
    for (const piece of pieces) opener.openAll(piece, (p) => out.push(p.slice()))
  } catch (error) {
    return { payload: concat(out), error, buffered: opener.bufferedBytes }
  }
  return { payload: concat(out), error: undefined, buffered: opener.bufferedBytes }
}

/** The same through openInto, the bulk path of SecretConnection: one output buffer per piece. */
function openPiecesInto(pieces: Uint8Array[]): { payload: Uint8Array; error: unknown; buffered: number } {
  const opener = new FrameOpener(backend.createCipher(key))
  const out: Uint8Array[] = []
  try {
    for (const piece of pieces) {
      const room = opener.maxPayloadFor(piece.length)
      // Random-looking headroom and tail, to show they are left alone.
      const buf = new Uint8Array(4 + room + 3).fill(0xa5)
      const end = opener.openInto(piece, buf, 4)
      expect(end).toBeLessThanOrEqual(4 + room)
      expect(Array.from(buf.subarray(0, 4))).toEqual([0xa5, 0xa5, 0xa5, 0xa5])
      out.push(buf.slice(4, end))
    }
  } catch (error) {
    return { payload: concat(out), error, buffered: opener.bufferedBytes }
  }
  return { payload: concat(out), error: undefined, buffered: opener.bufferedBytes }
}

const writes = fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 6 })
const cuts = fc.array(fc.nat(), { maxLength: 12 })

describe('frame properties', () => {
  it('seal then open round-trips any writes under any chunking', () => {
    fc.assert(
      fc.property(writes, cuts, (messages, cutPoints) => {
        const sealer = new FrameSealer(backend.createCipher(key))
        const wire = concat(messages.map((m) => sealer.seal(m)))
        expect(wire.length % SEALED_FRAME_SIZE).toBe(0)
        const result = openPieces(split(wire, cutPoints))
        expect(result.error).toBeUndefined()
        expect(result.buffered).toBe(0)
        expect(Buffer.from(result.payload).equals(Buffer.from(concat(messages)))).toBe(true)
      }),
      { numRuns: 150 }
    )
  })

  it('openInto decrypts in place to the same payload as next(), under any chunking', () => {
    fc.assert(
      fc.property(writes, cuts, (messages, cutPoints) => {
        const sealer = new FrameSealer(backend.createCipher(key))
        const wire = concat(messages.map((m) => sealer.seal(m)))
        const result = openPiecesInto(split(wire, cutPoints))
        expect(result.error).toBeUndefined()
        expect(result.buffered).toBe(0)
        expect(Buffer.from(result.payload).equals(Buffer.from(concat(messages)))).toBe(true)
      }),
      { numRuns: 150 }
    )
  })

  it('openInto fails like next() on damaged input, with typed errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), cuts, (bytes, cutPoints) => {
        const pieces = split(bytes, cutPoints)
        const bulk = openPiecesInto(pieces)
        const single = openPieces(pieces)
        if (bulk.error !== undefined) expect(bulk.error).toBeInstanceOf(CometError)
        expect(bulk.error?.constructor).toBe(single.error?.constructor)
      }),
      { numRuns: 150 }
    )
  })

  it('the opener only ever fails with typed errors on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), cuts, (bytes, cutPoints) => {
        const { error } = openPieces(split(bytes, cutPoints))
        if (error !== undefined) expect(error).toBeInstanceOf(CometError)
      }),
      { numRuns: 150 }
    )
  })

  it('bit flips and truncation are detected, never delivered', () => {
    fc.assert(
      fc.property(writes, fc.nat(), fc.integer({ min: 0, max: 7 }), fc.nat(), (messages, at, bit, cutAt) => {
        const sealer = new FrameSealer(backend.createCipher(key))
        const wire = concat(messages.map((m) => sealer.seal(m)))
        if (wire.length === 0) return
        const flipped = wire.slice()
        const index = at % wire.length
        flipped[index]! ^= 1 << bit
        const bad = openPieces([flipped])
        expect(bad.error).toBeInstanceOf(CometError)
        // Only frames before the damaged one were delivered.
        expect(bad.payload.length).toBeLessThanOrEqual(Math.floor(index / SEALED_FRAME_SIZE) * 1024)
        // A truncated stream leaves a partial frame buffered, no error, no partial payload.
        const cut = cutAt % wire.length
        const truncated = openPieces([wire.subarray(0, cut)])
        expect(truncated.error).toBeUndefined()
        expect(truncated.buffered).toBe(cut % SEALED_FRAME_SIZE)
      }),
      { numRuns: 100 }
    )
  })
})

describe('handshake properties', () => {
  const c = connectionVectors.cases[0]!
  const a = roleView(c, 'A')
  const recorded = a.peerBytes.subarray(0, a.handshakeLength)

  function mutate(bytes: Uint8Array, flips: { at: number; bit: number }[], keep: number): Uint8Array {
    const out = bytes.slice(0, keep % (bytes.length + 1))
    for (const { at, bit } of flips) if (out.length > 0) out[at % out.length]! ^= 1 << bit
    return out
  }
  const flips = fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), { maxLength: 3 })

  it('the state machine only throws typed errors on random or mutated peer bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          fc.tuple(flips, fc.nat()).map(([f, keep]) => mutate(recorded, f, keep))
        ),
        cuts,
        (bytes, cutPoints) => {
          const hs = new Handshake({ identity: a.identity, backend, ephemeralPrivateKey: a.ephemeralPrivateKey })
          hs.start()
          try {
            for (const piece of split(bytes, cutPoints)) {
              const step = hs.receive(piece)
              expect(step.consumed).toBeLessThanOrEqual(piece.length)
              if (step.done) break
            }
          } catch (error) {
            expect(error).toBeInstanceOf(CometError)
          }
        }
      ),
      { numRuns: 60 }
    )
  })

  it('makeSecretConnection always settles, rejecting only with typed errors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 1500 }),
          fc.tuple(flips, fc.nat()).map(([f, keep]) => mutate(recorded, f, keep))
        ),
        fc.boolean(),
        async (bytes, endAfter) => {
          const [ours, theirs] = duplexPair()
          theirs.resume()
          theirs.on('error', () => undefined)
          const pending = makeSecretConnection(ours, a.identity, {
            backend,
            ephemeralPrivateKey: a.ephemeralPrivateKey,
            timeoutMs: 30
          })
          if (bytes.length > 0) theirs.write(bytes)
          if (endAfter) theirs.end()
          try {
            const conn = await pending
            // Only the untouched recording can authenticate.
            expect(Buffer.from(bytes.subarray(0, recorded.length)).equals(Buffer.from(recorded))).toBe(true)
            conn.destroy()
          } catch (error) {
            expect(error).toBeInstanceOf(CometError)
            expect(ours.destroyed).toBe(true)
          }
        }
      ),
      { numRuns: 40 }
    )
  })
})
