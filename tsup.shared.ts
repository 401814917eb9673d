import type { Options } from 'tsup'

/**
 * How every @comet-p2p package builds its library entry: ESM and CommonJS
 * for Node 20, with bundled `.d.ts` / `.d.cts` and source maps. Package
 * configs spread it and add what they need.
 */
export const libraryBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node'
}
