import { InvalidArgumentError } from '@comet-p2p/types'
import { BackendUnavailableError } from '../errors.js'
import type { BackendName, CryptoBackend } from './backend.js'
import { nobleBackend } from './noble.js'
import { nodeBackend } from './node.js'
import { sodiumBackend } from './sodium.js'

/**
 * Preference order of the default choice, fastest first. Measured on
 * 1028-byte frames (see BENCHMARKS.md): libsodium is roughly 4x OpenSSL
 * through node:crypto (whose per-frame cipher objects dominate) and 12x noble.
 */
export const BACKEND_PREFERENCE: readonly BackendName[] = ['sodium', 'node', 'noble']

/** The built-in backend called `name`, or undefined when it cannot be loaded here. */
export function getBackend(name: BackendName): CryptoBackend | undefined {
  switch (name) {
    case 'sodium':
      return sodiumBackend()
    case 'node':
      return nodeBackend
    case 'noble':
      return nobleBackend
    default:
      throw new InvalidArgumentError(`unknown crypto backend ${JSON.stringify(name)}`)
  }
}

/** Names of the built-in backends usable in this process, fastest first. */
export function availableBackends(): BackendName[] {
  return BACKEND_PREFERENCE.filter((name) => getBackend(name) !== undefined)
}

/**
 * Resolves a backend option: `undefined` or `'auto'` picks the fastest
 * available (sodium, then node, then noble); a name must be available or a
 * {@link BackendUnavailableError} is thrown; an object is used as given.
 */
export function resolveBackend(choice: BackendName | 'auto' | CryptoBackend | undefined): CryptoBackend {
  if (typeof choice === 'object') return choice
  if (choice === undefined || choice === 'auto') {
    for (const name of BACKEND_PREFERENCE) {
      const backend = getBackend(name)
      if (backend !== undefined) return backend
    }
    return nobleBackend
  }
  const backend = getBackend(choice)
  if (backend === undefined) throw new BackendUnavailableError(choice)
  return backend
}
