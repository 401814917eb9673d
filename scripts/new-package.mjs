// Creates the skeleton of a workspace package: package.json, tsconfig, tsup
// and vitest configs, following the conventions every @comet-p2p package uses.
// Usage: node scripts/new-package.mjs <name> "<description>"
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [name, description] = process.argv.slice(2)
if (!name || !description) {
  console.error('usage: node scripts/new-package.mjs <name> "<description>"')
  process.exit(1)
}
const dir = join(import.meta.dirname, '..', 'packages', name)
if (existsSync(join(dir, 'package.json'))) {
  console.error(`packages/${name} already exists`)
  process.exit(1)
}
mkdirSync(join(dir, 'src'), { recursive: true })
mkdirSync(join(dir, 'test'), { recursive: true })
const pkg = {
  name: `@comet-p2p/${name}`,
  version: '0.0.0',
  description,
  license: 'Apache-2.0',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20.19.0' },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    '.': {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' }
    },
    './package.json': './package.json'
  },
  files: ['dist', 'README.md'],
  keywords: ['cometbft', 'tendermint', 'p2p'],
  scripts: {
    build: 'tsup',
    typecheck: 'tsc -p tsconfig.json',
    lint: 'eslint .',
    test: 'vitest run'
  },
  dependencies: { '@comet-p2p/types': 'workspace:*' },
  devDependencies: { '@comet-p2p/testing': 'workspace:*' }
}
const files = {
  'package.json': JSON.stringify(pkg, null, 2) + '\n',
  'tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src', 'test', 'bench', '*.config.ts'] }, null, 2) + '\n',
  'tsup.config.ts': `import { defineConfig } from 'tsup'
import { libraryBuild } from '../../tsup.shared.js'

export default defineConfig(libraryBuild)
`,
  'vitest.config.ts': `import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000
  }
})
`
}
for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
console.log(`created packages/${name}`)
