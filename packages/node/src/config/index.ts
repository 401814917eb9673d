export { ConfigError } from './errors.js'
export type { ConfigErrorOptions } from './errors.js'
export {
  defaultNodeConfig,
  defaultP2PNodeConfig,
  defaultInstrumentationConfig,
  defaultMoniker,
  mergeNodeConfig
} from './types.js'
export type { NodeConfig, NodeConfigOverrides, P2PNodeConfig, InstrumentationConfig, LogFormat } from './types.js'
export { validateNodeConfig, MAX_CHAIN_ID_LENGTH } from './validate.js'
export { parseConfigToml, formatConfigToml } from './toml.js'
export type { ParseConfigTomlOptions } from './toml.js'
export { CONFIG_KEYS } from './schema.js'
export type { ConfigKeySpec, ConfigKind } from './schema.js'
export { parseGoDuration, formatGoDuration, parseGoDurationNs, formatGoDurationNs } from './duration.js'
export { parseListenAddress, splitList } from './address.js'
export type { ListenAddress } from './address.js'
