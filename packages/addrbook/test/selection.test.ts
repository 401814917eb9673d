import { describe, expect, it } from 'vitest'
import { AddrBook, selectionSize } from '../src/index.js'
import { seededRandom, source, v4 } from './helpers.js'

/** A book with `nOld` good and `nNew` new addresses, all from distinct groups. */
function bookWith(nOld: number, nNew: number, seed = 1): AddrBook {
  const book = new AddrBook({ random: seededRandom(seed) })
  for (let i = 0; i < nOld + nNew; i++) {
    book.addAddress(v4(i, i), source(i))
    if (i < nOld) book.markGood(v4(i, i).id)
  }
  return book
}

describe('selectionSize', () => {
  it.each([
    [0, 0],
    [1, 1],
    [31, 31],
    [32, 32],
    [139, 32],
    [140, 32],
    [143, 32],
    [144, 33],
    [200, 46],
    [1086, 249],
    [1087, 250],
    [20_000, 250]
  ])('a book of %i gives %i', (size, expected) => {
    expect(selectionSize(size)).toBe(expected)
  })
})

describe('getSelection', () => {
  it('is empty for an empty book', () => {
    expect(new AddrBook().getSelection()).toEqual([])
    expect(new AddrBook().getSelectionWithBias(30)).toEqual([])
  })

  it.each([1, 10, 33, 150, 1200])('returns selectionSize distinct addresses from the book (size %i)', (n) => {
    const book = bookWith(Math.floor(n / 3), n - Math.floor(n / 3))
    const selection = book.getSelection()
    expect(selection).toHaveLength(selectionSize(n))
    expect(new Set(selection.map(String)).size).toBe(selection.length)
    for (const addr of selection) expect(book.hasAddress(addr)).toBe(true)
  })

  it('samples every address over many draws', () => {
    const book = bookWith(20, 80)
    const seen = new Set<string>()
    for (let i = 0; i < 50; i++) for (const a of book.getSelection()) seen.add(a.toString())
    expect(seen.size).toBe(100)
  })
})

describe('getSelectionWithBias', () => {
  // The reference's own layout check: new addresses first, then old ones, in the expected numbers.
  it('puts max(bias share, size - nOld) new addresses first, old ones after', () => {
    const bias = 30
    for (const size of [1, 2, 5, 17, 31, 33, 64, 120]) {
      for (let nOld = 0; nOld <= size; nOld += Math.max(1, Math.floor(size / 7))) {
        const book = bookWith(nOld, size - nOld, size * 1000 + nOld)
        const selection = book.getSelectionWithBias(bias)
        const count = selectionSize(size)
        expect(selection).toHaveLength(count)
        const kinds = selection.map((a) => (book.isGood(a) ? 'old' : 'new'))
        const wantNew = Math.min(size - nOld, Math.max(Math.round((bias / 100) * count), count - nOld))
        expect(kinds.filter((k) => k === 'new')).toHaveLength(wantNew)
        expect(kinds).toEqual([...Array(wantNew).fill('new'), ...Array(count - wantNew).fill('old')])
        expect(new Set(selection.map(String)).size).toBe(count)
      }
    }
  })

  it('clamps the bias to 0..100', () => {
    const book = bookWith(50, 50)
    const count = selectionSize(100)
    expect(book.getSelectionWithBias(500).every((a) => !book.isGood(a))).toBe(true)
    expect(book.getSelectionWithBias(-5).filter((a) => book.isGood(a))).toHaveLength(count)
  })
})

describe('pickAddress', () => {
  it('returns nothing from an empty book', () => {
    expect(new AddrBook().pickAddress(50)).toBeUndefined()
  })

  it('with only new addresses, returns one for any bias', () => {
    const book = bookWith(0, 1)
    for (const bias of [0, 50, 100]) expect(book.pickAddress(bias)).toBeDefined()
  })

  it('with only old addresses, returns one unless the bias is 100', () => {
    const book = bookWith(1, 0)
    expect(book.pickAddress(0)).toBeDefined()
    expect(book.pickAddress(50)).toBeDefined()
    expect(book.pickAddress(100)).toBeUndefined()
  })

  it('bias 0 picks only old, bias 100 only new', () => {
    const book = bookWith(30, 70)
    for (let i = 0; i < 200; i++) {
      expect(book.isGood(book.pickAddress(0)!)).toBe(true)
      expect(book.isGood(book.pickAddress(100)!)).toBe(false)
      expect(book.isGood(book.pickAddress(-20)!)).toBe(true)
      expect(book.isGood(book.pickAddress(250)!)).toBe(false)
    }
  })

  it('weights new against old by sqrt(count)·bias', () => {
    // 25 old, 100 new, bias 50: P(new) = 10·50 / (10·50 + 5·50) = 2/3.
    const book = bookWith(25, 100, 7)
    let newPicks = 0
    const draws = 3000
    for (let i = 0; i < draws; i++) if (!book.isGood(book.pickAddress(50)!)) newPicks++
    expect(newPicks / draws).toBeGreaterThan(0.62)
    expect(newPicks / draws).toBeLessThan(0.71)
  })

  it('terminates with degenerate random sources', () => {
    for (const r of [0, 0.999999, 1]) {
      const book = new AddrBook({ random: () => r })
      for (let i = 0; i < 5; i++) book.addAddress(v4(i, i), source(i))
      book.markGood(v4(0, 0).id)
      expect(book.pickAddress(50)).toBeDefined()
      expect(book.getSelection()).toHaveLength(5)
      expect(book.getSelectionWithBias(50)).toHaveLength(5)
    }
  })

  it('never returns a banned peer', () => {
    const book = bookWith(10, 10)
    for (let i = 0; i < 20; i += 2) book.markBad(v4(i, i), 60_000)
    for (let i = 0; i < 300; i++) {
      const picked = book.pickAddress(i % 101)
      if (picked !== undefined) expect(book.isBanned(picked)).toBe(false)
    }
    for (const a of [...book.getSelection(), ...book.getSelectionWithBias(30)]) expect(book.isBanned(a)).toBe(false)
  })
})
