import { InvalidArgumentError } from '@comet-p2p/types'
import { describe, expect, it } from 'vitest'
import { createLogger, formatPlainTime, parseLogLevel, type LoggerOptions } from '../src/index.js'

const T0 = Date.UTC(2026, 10, 25, 10, 0, 0, 7)

function capture(options: LoggerOptions = {}) {
  const lines: string[] = []
  const logger = createLogger({ stream: { write: (chunk: string) => lines.push(chunk) }, clock: { now: () => T0 }, utc: true, ...options })
  return { logger, lines }
}

describe('parseLogLevel', () => {
  it('reads single levels and module lists', () => {
    expect(parseLogLevel('info')).toEqual({ default: 'info', modules: new Map() })
    expect(parseLogLevel('p2p:debug,*:error')).toEqual({ default: 'error', modules: new Map([['p2p', 'debug']]) })
    expect(parseLogLevel('p2p:none, pex:warn')).toEqual({ default: 'info', modules: new Map([['p2p', 'none'], ['pex', 'warn']]) })
    expect(parseLogLevel('p2p:debug', 'error').default).toBe('error')
  })

  it.each([
    ['', /empty log level/],
    ['loud', /unknown level "loud"/],
    ['p2p:debug:x', /expected "module:level" pairs/],
    ['p2p:', /unknown level ""/],
    [':info', /empty module name/]
  ])('rejects %j', (text, message) => {
    expect(() => parseLogLevel(text)).toThrow(InvalidArgumentError)
    expect(() => parseLogLevel(text)).toThrow(message)
  })
})

describe('plain format', () => {
  it('writes CometBFT-like lines', () => {
    const { logger, lines } = capture()
    logger.info('Started node', { peers: 3, addr: 'a b', empty: '', ok: true })
    logger.child({ module: 'p2p' }).error('Stopping peer for error', { err: new Error('EOF'), id: new Uint8Array([0xab, 0x01]) })
    logger.warn('no fields')
    expect(lines).toEqual([
      `I[2026-11-25|10:00:00.007] ${'Started node'.padEnd(44)} peers=3 addr="a b" empty="" ok=true\n`,
      `E[2026-11-25|10:00:00.007] ${'Stopping peer for error'.padEnd(44)} module=p2p err=EOF id=AB01\n`,
      `W[2026-11-25|10:00:00.007] no fields\n`
    ])
  })

  it('renders objects, addresses and awkward keys readably', () => {
    const { logger, lines } = capture()
    const addr = { toString: () => 'id@1.2.3.4:26656' }
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    logger.info('m', { addr, obj: { a: [1, 2] }, big: 10n, 'bad key': 1, cyclic, when: new Date(0) })
    expect(lines[0]).toContain('addr=id@1.2.3.4:26656 obj="{\\"a\\":[1,2]}" big=10 bad_key=1 cyclic="[object Object]" when=1970-01-01T00:00:00.000Z')
  })

  it('uses local time unless told otherwise', () => {
    const d = new Date(T0)
    const local = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}|${String(d.getHours()).padStart(2, '0')}`
    expect(formatPlainTime(T0, false).startsWith(local)).toBe(true)
    expect(formatPlainTime(T0, true)).toBe('2026-11-25|10:00:00.007')
  })
})

describe('json format', () => {
  it('writes one object per line', () => {
    const { logger, lines } = capture({ format: 'json', fields: { node: 'n1' } })
    logger.child({ module: 'pex' }).info('addresses', { count: 5, err: new Error('x'), raw: new Uint8Array([1]), n: 2n, level: 'oops' })
    expect(lines).toHaveLength(1)
    expect(lines[0]!.endsWith('\n')).toBe(true)
    expect(lines[0]!.slice(0, -1)).not.toContain('\n')
    expect(JSON.parse(lines[0]!)).toEqual({
      level: 'info',
      ts: '2026-11-25T10:00:00.007Z',
      _msg: 'addresses',
      node: 'n1',
      module: 'pex',
      count: 5,
      err: 'x',
      raw: '01',
      n: '2',
      level_: 'oops'
    })
  })

  it('survives cyclic fields', () => {
    const { logger, lines } = capture({ format: 'json' })
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    logger.error('m', { cyclic })
    expect(JSON.parse(lines[0]!)).toMatchObject({ _msg: 'm', cyclic: '[object Object]' })
  })
})

describe('levels', () => {
  it('filters by the default level', () => {
    const { logger, lines } = capture({ level: 'warn' })
    logger.debug('d')
    logger.info('i')
    logger.warn('w')
    logger.error('e')
    expect(lines.map((l) => l[0])).toEqual(['W', 'E'])
  })

  it('none silences everything', () => {
    const { logger, lines } = capture({ level: 'none' })
    logger.error('e')
    expect(lines).toEqual([])
  })

  it('filters per module, by the module field of the child or the call', () => {
    const { logger, lines } = capture({ level: 'p2p:debug,pex:none,*:error' })
    logger.child({ module: 'p2p' }).debug('p2p debug')
    logger.child({ module: 'pex' }).error('pex error')
    logger.child({ module: 'other' }).info('other info')
    logger.child({ module: 'other' }).error('other error')
    logger.debug('call module', { module: 'p2p' })
    logger.info('no module')
    expect(lines.map((l) => l.slice(27, 44).trim())).toEqual(['p2p debug', 'other error', 'call module'])
  })

  it('rejects a bad level or format', () => {
    expect(() => createLogger({ level: 'loud' })).toThrow(InvalidArgumentError)
    expect(() => createLogger({ format: 'xml' as 'json' })).toThrow(/log format must be "plain" or "json"/)
  })

  it('never throws when the stream does', () => {
    const logger = createLogger({ stream: { write: () => { throw new Error('EPIPE') } } })
    expect(() => logger.error('x')).not.toThrow()
  })
})
