import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { runReadmeExample } from '@comet-p2p/testing'
import { CONFIG_KEYS, CLI_COMMANDS, CLI_FLAGS } from '../src/index.js'

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')

describe('README', () => {
  it('runs the example: two nodes connect, one says hello, both stop', async () => {
    const { stdout } = await runReadmeExample(packageDir, 20_000)
    expect(stdout).toMatch(/alice listens on [0-9a-f]{40}@127\.0\.0\.1:\d+/)
    expect(stdout).toMatch(/alice heard "hello alice" from bob/)
    expect(stdout).toMatch(/bob's peers: alice/)
  }, 30_000)

  it('documents every config.toml key, command and flag', () => {
    for (const spec of CONFIG_KEYS) {
      const key = spec.section === '' ? spec.key : `${spec.section}.${spec.key}`
      expect(readme).toContain(`| \`${key}\` |`)
    }
    for (const command of Object.keys(CLI_COMMANDS)) if (command !== 'help') expect(readme).toContain(`comet-p2p ${command}`)
    for (const flag of Object.keys(CLI_FLAGS)) expect(readme).toContain(`--${flag}`)
  })
})
