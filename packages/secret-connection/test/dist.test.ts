import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { availableBackends } from '../src/index.js'

const dist = fileURLToPath(new URL('../dist/', import.meta.url))
const built = existsSync(`${dist}index.js`) && existsSync(`${dist}index.cjs`)

// The optional addon is loaded with createRequire; make sure both builds
// find it exactly when the sources do (turbo builds before testing).
describe.runIf(built)('built package', () => {
  it('loads the same backends from its ESM and CommonJS builds', () => {
    const expected = availableBackends().join(',')
    const esm = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `import(${JSON.stringify(`${dist}index.js`)}).then((m) => process.stdout.write(m.availableBackends().join(',')))`
    ]).toString()
    const cjs = execFileSync(process.execPath, [
      '-e',
      `process.stdout.write(require(${JSON.stringify(`${dist}index.cjs`)}).availableBackends().join(','))`
    ]).toString()
    expect(esm).toBe(expected)
    expect(cjs).toBe(expected)
  })
})
