import { createServer, type Server } from 'node:net'
import { readFile } from 'node:fs/promises'
import { InvalidNodeKeyError, NetAddress, loadNodeKey } from '@comet-p2p/types'
import { describe, expect, it } from 'vitest'
import { ConfigError, UsageError, formatUserError, parseArgs, parseConfigToml } from '../src/index.js'

function caught(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

async function listenError(): Promise<unknown> {
  const first: Server = createServer()
  await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve))
  const port = (first.address() as { port: number }).port
  const second = createServer()
  const err = await new Promise<unknown>((resolve) => {
    second.once('error', resolve)
    second.listen(port, '127.0.0.1')
  })
  await new Promise<void>((resolve) => first.close(() => resolve()))
  return err
}

describe('formatUserError', () => {
  it('usage errors point to help', () => {
    const err = caught(() => parseArgs(['start', '--nope']))
    expect(err).toBeInstanceOf(UsageError)
    expect(formatUserError(err)).toBe('unknown flag: --nope (see "comet-p2p help")')
  })

  it('config errors name the file and key on one line', () => {
    const err = caught(() => parseConfigToml('a = [\n\n', { home: '/h', file: '/h/config/config.toml' }))
    expect(err).toBeInstanceOf(ConfigError)
    const line = formatUserError(err)
    expect(line).toMatch(/^\/h\/config\/config\.toml: invalid TOML at line \d+, column \d+: /)
    expect(line).not.toContain('\n')
    expect(formatUserError(new ConfigError('p2p.seeds has an invalid address', { key: 'p2p.seeds' }))).toBe('p2p.seeds has an invalid address')
  })

  it('key and address errors keep their message', async () => {
    const keyErr = await loadNodeKey('/nonexistent/node_key.json').catch((e: unknown) => e)
    expect(keyErr).toBeInstanceOf(InvalidNodeKeyError)
    expect(formatUserError(keyErr)).toMatch(/^cannot read node key file \/nonexistent\/node_key.json: /)
    expect(formatUserError(caught(() => NetAddress.fromString('1.2.3.4:5')))).toBe(
      'address "1.2.3.4:5" does not contain a node ID (expected id@host:port)'
    )
  })

  it('system errors become sentences', async () => {
    const inUse = await listenError()
    expect(formatUserError(inUse)).toMatch(/^cannot listen on 127\.0\.0\.1:\d+: the address is already in use \(is another node running\?\)$/)
    const missing = await readFile('/nonexistent/file').catch((e: unknown) => e)
    expect(formatUserError(missing)).toBe('no such file or directory: /nonexistent/file')
    const eacces = Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), {
      code: 'EACCES',
      syscall: 'listen',
      address: '0.0.0.0',
      port: 80
    })
    expect(formatUserError(eacces)).toBe('cannot listen on 0.0.0.0:80: permission denied (ports below 1024 need privileges)')
    const v6 = Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL', syscall: 'listen', address: '2001:db8::1', port: 1 })
    expect(formatUserError(v6)).toBe('cannot listen on [2001:db8::1]:1: the address does not belong to this machine')
  })

  it('anything else becomes one line', () => {
    expect(formatUserError(new Error('first\n  second'))).toBe('first second')
    expect(formatUserError(new AggregateError([new Error('a'), new Error('b'), new Error('c')]))).toBe('a (and 2 more errors)')
    expect(formatUserError('plain text')).toBe('plain text')
    expect(formatUserError(new TypeError(''))).toBe('TypeError')
  })
})
