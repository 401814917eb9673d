import { defineConfig } from 'tsup'
import { libraryBuild } from '../../tsup.shared.js'

export default defineConfig({
  ...libraryBuild,
  // import.meta.url in the CommonJS build (used to load the optional sodium-native addon)
  shims: true
})
