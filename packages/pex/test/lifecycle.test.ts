import { describe, expect, it } from 'vitest'
import { activeResources, waitForNoLeaks } from '@comet-p2p/testing'
import { InvalidArgumentError, silentLogger, type LogFields, type Logger } from '@comet-p2p/types'
import {
  defaultPexReactorConfig,
  InvalidSeedError,
  MAX_PEX_MESSAGE_SIZE,
  NoSeedsError,
  PexReactor,
  PexStateError,
  resolvePexConfig
} from '../src/index.js'
import { addr, FakeBook, FakeSwitch, setup } from './fakes.js'

const failingLookup = (): Promise<readonly string[]> => Promise.reject(new Error('no such host'))

function recordingLogger(lines: { level: string; message: string; fields?: LogFields }[]): Logger {
  const log =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push({ level, message, fields })
    }
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger }
  return logger
}

describe('configuration', () => {
  it('defaults to the reference values', () => {
    expect(defaultPexReactorConfig).toMatchObject({
      ensurePeersPeriodMs: 30_000,
      crawlPeerPeriodMs: 30_000,
      minTimeBetweenCrawlsMs: 120_000,
      seedDisconnectWaitPeriodMs: 28 * 3600_000,
      maxAttemptsToDial: 16,
      defaultBanTimeMs: 24 * 3600_000,
      biasToSelectNewPeers: 30,
      dialBackoffUnitMs: 1000,
      dialJitterMs: 1000,
      maxBackoffMs: Infinity,
      sendQueueCapacity: 10,
      recvMessageCapacity: 64_000,
      maxAddrsPerMessage: 250,
      seedMode: false,
      seeds: []
    })
    expect(MAX_PEX_MESSAGE_SIZE).toBe(256 * 250)
  })

  it('declares channel 0x00 with priority 1, a send queue of 10 and 64000-byte messages', () => {
    const { reactor } = setup()
    expect(reactor.getChannels()).toEqual([{ id: 0, priority: 1, sendQueueCapacity: 10, recvMessageCapacity: 64_000 }])
  })

  it('keeps only settings in reactor.config', () => {
    const { reactor } = setup({ seedMode: true })
    expect(Object.keys(reactor.config).sort()).toEqual(Object.keys(defaultPexReactorConfig).sort())
    expect(reactor.config.seedMode).toBe(true)
  })

  it('accepts seeds as one comma-separated string', () => {
    const a = addr()
    const b = addr()
    expect(resolvePexConfig({ seeds: ` ${a.toString()}, ,${b.toString()} ` }).seeds).toEqual([a.toString(), b.toString()])
  })

  it('refuses bad values', () => {
    for (const bad of [
      { ensurePeersPeriodMs: 0 },
      { maxAttemptsToDial: -1 },
      { biasToSelectNewPeers: 101 },
      { defaultBanTimeMs: Number.NaN },
      { seedFastDial: 'sometimes' as never },
      { seedMode: 'yes' as never }
    ]) {
      expect(() => resolvePexConfig(bad)).toThrow(InvalidArgumentError)
    }
  })
})

describe('start and stop', () => {
  it('starts with no seeds and an empty book (the reference allows it)', async () => {
    const { reactor } = setup()
    await reactor.start()
    expect(reactor.isRunning).toBe(true)
    await reactor.stop()
  })

  it('fails with NoSeedsError when no configured seed resolves and the book is empty', async () => {
    const lines: { level: string; message: string }[] = []
    const { reactor, book } = setup({
      seeds: [`${addr().id}@bad.network.addr:26656`, `${addr().id}@another.bad.addr:26656`],
      lookup: failingLookup,
      logger: recordingLogger(lines)
    })
    const err = await reactor.start().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NoSeedsError)
    expect((err as NoSeedsError).code).toBe('ERR_PEX_NO_SEEDS')
    expect(lines.filter((l) => l.level === 'error' && l.message === 'cannot resolve a seed')).toHaveLength(2)
    expect(reactor.isRunning).toBe(false)
    expect(book.started).toBe(1)
    expect(book.stopped).toBe(1) // a book it started is stopped again
  })

  it('starts when one seed resolves, or when the book has addresses', async () => {
    const good = addr('10.7.0.1')
    const withGoodSeed = setup({ seeds: [`${addr().id}@bad.network.addr:26656`, good.toString()], lookup: failingLookup })
    await withGoodSeed.reactor.start()
    expect(withGoodSeed.reactor.seedAddresses().map(String)).toEqual([good.toString()])
    await withGoodSeed.reactor.stop()

    const book = new FakeBook()
    book.fill([addr()])
    const withBook = setup({ book, seeds: [`${addr().id}@bad.network.addr:26656`], lookup: failingLookup })
    await withBook.reactor.start()
    expect(withBook.reactor.seedAddresses()).toEqual([])
    await withBook.reactor.stop()
  })

  it('resolves seed host names with the given lookup', async () => {
    const id = addr().id
    const { reactor } = setup({ seeds: [`${id}@seed.example:26656`], lookup: () => Promise.resolve(['10.8.0.1']) })
    await reactor.start()
    expect(reactor.seedAddresses().map(String)).toEqual([`${id}@10.8.0.1:26656`])
    await reactor.stop()
  })

  it('fails with InvalidSeedError on a malformed seed, as the reference', async () => {
    const { reactor } = setup({ seeds: ['not-an-address'] })
    const err = await reactor.start().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(InvalidSeedError)
    expect((err as InvalidSeedError).seed).toBe('not-an-address')
  })

  it('starts and stops the book unless manageBook is false', async () => {
    const managed = setup()
    await managed.reactor.start()
    await managed.reactor.stop()
    expect([managed.book.started, managed.book.stopped]).toEqual([1, 1])

    const unmanaged = setup({ manageBook: false })
    await unmanaged.reactor.start()
    await unmanaged.reactor.stop()
    expect([unmanaged.book.started, unmanaged.book.stopped]).toEqual([0, 0])
  })

  it('refuses a second start and dialing when not running', async () => {
    const { reactor } = setup()
    await expect(reactor.dialPeer(addr())).rejects.toBeInstanceOf(PexStateError)
    await reactor.start()
    await expect(reactor.start()).rejects.toBeInstanceOf(PexStateError)
    await reactor.stop()
    await reactor.stop() // idempotent
    await expect(reactor.dialPeer(addr())).rejects.toBeInstanceOf(PexStateError)
  })

  it('logs through the switch logger when given no logger', async () => {
    const lines: { level: string; message: string; fields?: LogFields }[] = []
    const children: LogFields[] = []
    const base = recordingLogger(lines)
    const sw = new FakeSwitch()
    Object.defineProperty(sw, 'logger', {
      value: {
        ...silentLogger,
        child: (fields: LogFields) => {
          children.push(fields)
          return base
        }
      }
    })
    const reactor = new PexReactor({ book: new FakeBook() })
    reactor.setSwitch(sw)
    await reactor.start()
    await reactor.stop()
    expect(children).toEqual([{ module: 'pex' }])
    expect(lines.some((l) => l.message === 'PEX reactor started')).toBe(true)
  })

  it('leaves no timer behind, in either mode, with real timers', async () => {
    for (const seedMode of [false, true]) {
      const before = activeResources()
      const { reactor, book, sw } = setup({ seedMode, ensurePeersPeriodMs: 50, crawlPeerPeriodMs: 50, clock: undefined })
      book.fill([addr(), addr()])
      sw.dialOutcome = () => new Promise((resolve) => setTimeout(() => resolve('ok'), 20))
      await reactor.start()
      await new Promise((resolve) => setTimeout(resolve, 120))
      await reactor.stop()
      expect(await waitForNoLeaks(before)).toEqual({})
    }
  })
})
