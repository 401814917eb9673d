import { defineConfig } from 'tsup'

export default defineConfig([
  {
    // The library.
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    // The command line below is built at the same time: leave its files alone.
    clean: ['!cli.js', '!cli.js.map'],
    target: 'node20',
    platform: 'node'
  },
  {
    // The `comet-p2p` command (bin: dist/cli.js).
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' }
  }
])
