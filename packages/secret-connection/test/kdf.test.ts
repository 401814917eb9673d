import { fromHex, toHex } from '@comet-p2p/testing'
import { describe, expect, it } from 'vitest'
import { deriveSecrets } from '../src/index.js'
import { goldenRows } from './support/vectors.js'

describe('deriveSecrets (derive-secrets.golden.csv)', () => {
  const rows = goldenRows()

  it('has all 32 reference rows', () => {
    expect(rows.length).toBe(32)
  })

  it.each(rows.map((row, i) => [i, row] as const))('row %i', (_i, row) => {
    const secrets = deriveSecrets(fromHex(row.dhSecret), row.locIsLeast)
    expect(toHex(secrets.recvKey)).toBe(row.recv)
    expect(toHex(secrets.sendKey)).toBe(row.send)
    expect(toHex(secrets.legacyChallenge)).toBe(row.legacyChallenge)
  })

  it('gives the two sides mirrored keys', () => {
    const dh = fromHex(rows[0]!.dhSecret)
    const low = deriveSecrets(dh, true)
    const high = deriveSecrets(dh, false)
    expect(toHex(low.sendKey)).toBe(toHex(high.recvKey))
    expect(toHex(low.recvKey)).toBe(toHex(high.sendKey))
  })
})
