import { defineConfig } from 'tsup'
import { libraryBuild } from '../../tsup.shared.js'

export default defineConfig([
  {
    ...libraryBuild,
    // The command line below is built at the same time: leave its files alone.
    clean: ['!cli.js', '!cli.js.map']
  },
  {
    // The `comet-p2p` command (bin: dist/cli.js).
    ...libraryBuild,
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' }
  }
])
