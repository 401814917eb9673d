import { splitList } from '../config/address.js'
import { mergeNodeConfig, type NodeConfig, type NodeConfigOverrides } from '../config/types.js'
import { UsageError } from './args-errors.js'
import type { ParsedFlags } from './args-spec.js'

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : splitList(value)
}

/**
 * The configuration values set by node flags: `--chain-id`, `--moniker`,
 * `--log_level`, `--log_format`, the `--p2p.*` flags (lists
 * comma-separated), and `--metrics.laddr`, which also turns the Prometheus
 * endpoint on. `--home` is not a setting (pass it to `resolveHome`); crawl
 * flags are not either. Values are checked by `validateNodeConfig`, except
 * `--log_format`, which throws a {@link UsageError} unless plain or json.
 */
export function flagsToOverrides(flags: ParsedFlags): NodeConfigOverrides {
  const format = flags.log_format
  if (format !== undefined && format !== 'plain' && format !== 'json') {
    throw new UsageError(`invalid argument ${JSON.stringify(format)} for "--log_format" flag: expected plain or json`, { flag: 'log_format' })
  }
  const metrics = flags['metrics.laddr']
  return {
    chainId: flags['chain-id'],
    moniker: flags.moniker,
    logLevel: flags.log_level,
    logFormat: format,
    p2p: {
      laddr: flags['p2p.laddr'],
      externalAddress: flags['p2p.external-address'],
      seeds: list(flags['p2p.seeds']),
      persistentPeers: list(flags['p2p.persistent_peers']),
      unconditionalPeerIds: list(flags['p2p.unconditional_peer_ids']),
      privatePeerIds: list(flags['p2p.private_peer_ids']),
      pex: flags['p2p.pex'],
      seedMode: flags['p2p.seed_mode']
    },
    instrumentation: metrics === undefined ? {} : { prometheus: true, prometheusListenAddr: metrics }
  }
}

/** `config` with the values of the node flags in `flags` applied (see {@link flagsToOverrides}); a new object. */
export function applyFlags(config: NodeConfig, flags: ParsedFlags): NodeConfig {
  return mergeNodeConfig(config, flagsToOverrides(flags))
}
