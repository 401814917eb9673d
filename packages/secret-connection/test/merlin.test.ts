import { fromHex, loadVector, toHex } from '@comet-p2p/testing'
import { describe, expect, it } from 'vitest'
import { MerlinTranscript } from '../src/merlin/index.js'

interface MerlinOp {
  op: 'append' | 'extract'
  label: string
  message_hex?: string
  length?: number
  expected_hex?: string
}
interface MerlinFile {
  cases: { name: string; label: string; ops: MerlinOp[] }[]
}

const file = loadVector<MerlinFile>('merlin.json')

describe('Merlin transcript (merlin.json)', () => {
  it('has the five reference cases', () => {
    expect(file.cases.length).toBe(5)
  })

  for (const c of file.cases) {
    it(c.name, () => {
      const t = new MerlinTranscript(c.label)
      let extracts = 0
      for (const op of c.ops) {
        if (op.op === 'append') {
          t.appendMessage(op.label, fromHex(op.message_hex!))
        } else {
          expect(toHex(t.challengeBytes(op.label, op.length!))).toBe(op.expected_hex)
          extracts++
        }
      }
      expect(extracts).toBeGreaterThan(0)
    })
  }

  it('accepts labels as bytes and as strings alike', () => {
    const a = new MerlinTranscript('proto')
    const b = new MerlinTranscript(new TextEncoder().encode('proto'))
    a.appendMessage('x', Uint8Array.of(1, 2, 3))
    b.appendMessage(new TextEncoder().encode('x'), Uint8Array.of(1, 2, 3))
    expect(toHex(a.challengeBytes('c', 40))).toBe(toHex(b.challengeBytes('c', 40)))
  })

  it('a clone continues like the original, independently of it', () => {
    const base = new MerlinTranscript('proto')
    base.appendMessage('a', Uint8Array.of(1))
    const copy = base.clone()
    const fresh = new MerlinTranscript('proto')
    fresh.appendMessage('a', Uint8Array.of(1))
    copy.appendMessage('b', Uint8Array.of(2))
    fresh.appendMessage('b', Uint8Array.of(2))
    expect(toHex(copy.challengeBytes('c', 200))).toBe(toHex(fresh.challengeBytes('c', 200)))
    // The original was not advanced by its clone.
    const again = new MerlinTranscript('proto')
    again.appendMessage('a', Uint8Array.of(1))
    expect(toHex(base.challengeBytes('c', 32))).toBe(toHex(again.challengeBytes('c', 32)))
  })
})
