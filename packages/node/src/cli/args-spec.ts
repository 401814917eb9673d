/**
 * The commands and flags of the `comet-p2p` command line. Node flags carry
 * the reference names (`cometbft start --p2p.seeds ...`), including its mix
 * of `_` and `-`; flags the reference lacks use `-`.
 */

/** How a flag's value is read: text, a boolean (pflag style), an integer, or a duration in ms (seconds, or Go duration text). */
export type FlagKind = 'string' | 'boolean' | 'integer' | 'duration'

/** One flag. */
export interface FlagSpec {
  kind: FlagKind
  /** One-line description for help output. */
  help: string
  /** Placeholder of the value in help output. */
  value?: string
}

/** Every flag, by name (without the leading `--`). */
export const CLI_FLAGS = {
  help: { kind: 'boolean', help: 'show help' },
  home: { kind: 'string', value: 'DIR', help: 'home directory (default $COMET_P2P_HOME or ~/.comet-p2p)' },
  log_level: { kind: 'string', value: 'LEVEL', help: 'log level, e.g. "info" or "p2p:debug,*:info"' },
  log_format: { kind: 'string', value: 'FORMAT', help: 'log format: plain or json' },
  'chain-id': { kind: 'string', value: 'ID', help: 'chain ID (default: chain_id of genesis.json)' },
  moniker: { kind: 'string', value: 'NAME', help: 'node name' },
  'p2p.laddr': { kind: 'string', value: 'ADDR', help: 'listen address, tcp://host:port' },
  'p2p.external-address': { kind: 'string', value: 'HOST:PORT', help: 'address advertised to peers' },
  'p2p.seeds': { kind: 'string', value: 'LIST', help: 'comma-separated id@host:port seed nodes' },
  'p2p.persistent_peers': { kind: 'string', value: 'LIST', help: 'comma-separated id@host:port persistent peers' },
  'p2p.unconditional_peer_ids': { kind: 'string', value: 'IDS', help: 'comma-separated IDs of unconditional peers' },
  'p2p.private_peer_ids': { kind: 'string', value: 'IDS', help: 'comma-separated IDs of private peers' },
  'p2p.pex': { kind: 'boolean', help: 'enable/disable peer exchange (--p2p.pex=false)' },
  'p2p.seed_mode': { kind: 'boolean', help: 'enable/disable seed mode' },
  'metrics.laddr': { kind: 'string', value: 'HOST:PORT', help: 'serve Prometheus metrics on this address' },
  seeds: { kind: 'string', value: 'LIST', help: 'comma-separated id@host:port nodes to start crawling from' },
  'max-nodes': { kind: 'integer', value: 'N', help: 'dial at most this many nodes (default 1000)' },
  timeout: { kind: 'duration', value: 'S', help: 'stop crawling after this long: seconds or a duration such as 5m (default 60)' },
  out: { kind: 'string', value: 'DIR', help: 'write nodes.json and report.html to DIR (default: the current directory)' },
  duration: { kind: 'duration', value: 'S', help: 'run the demo this long: seconds or a duration such as 1m (default 20)' },
  nodes: { kind: 'integer', value: 'N', help: 'number of nodes besides the seed (default 8)' }
} as const satisfies Record<string, FlagSpec>

/** A flag name. */
export type FlagName = keyof typeof CLI_FLAGS

type ValueOf<K extends FlagKind> = K extends 'boolean' ? boolean : K extends 'string' ? string : number

/** Parsed flag values: booleans, strings, integers, durations in milliseconds. */
export type ParsedFlags = { -readonly [K in FlagName]?: ValueOf<(typeof CLI_FLAGS)[K]['kind']> }

const GLOBAL_FLAGS = ['help', 'home', 'log_level', 'log_format'] as const satisfies readonly FlagName[]
const NODE_FLAGS = [
  'chain-id',
  'moniker',
  'p2p.laddr',
  'p2p.external-address',
  'p2p.seeds',
  'p2p.persistent_peers',
  'p2p.unconditional_peer_ids',
  'p2p.private_peer_ids',
  'p2p.pex',
  'p2p.seed_mode',
  'metrics.laddr'
] as const satisfies readonly FlagName[]

/** One command. */
export interface CommandSpec {
  /** One-line description. */
  summary: string
  /** Flags it accepts besides the global ones (`--help`, `--home`, `--log_level`, `--log_format`). */
  flags: readonly FlagName[]
}

/** The commands, by name. */
export const CLI_COMMANDS = {
  init: { summary: 'create the home directory: config.toml, node key and genesis.json (chain --chain-id, or a random test-chain-XXXXXX)', flags: ['chain-id', 'moniker'] },
  start: { summary: 'run a p2p node', flags: NODE_FLAGS },
  crawl: {
    summary: 'discover the network through PEX and report the nodes found',
    flags: ['chain-id', 'seeds', 'max-nodes', 'timeout', 'out']
  },
  demo: { summary: 'run a seed and 8 nodes on 127.0.0.1 that find each other and chat; ends by itself', flags: ['duration', 'nodes'] },
  'show-node-id': { summary: "print this node's ID", flags: [] },
  version: { summary: 'print the version', flags: [] },
  help: { summary: 'show help', flags: [] }
} as const satisfies Record<string, CommandSpec>

/** A command name. */
export type CommandName = keyof typeof CLI_COMMANDS

/** Whether `name` is a flag, and of which kind. */
export function flagSpec(name: string): FlagSpec | undefined {
  return Object.hasOwn(CLI_FLAGS, name) ? CLI_FLAGS[name as FlagName] : undefined
}

/** Whether `command` accepts `flag` (global flags are accepted everywhere). */
export function commandAccepts(command: CommandName | undefined, flag: FlagName): boolean {
  if ((GLOBAL_FLAGS as readonly string[]).includes(flag)) return true
  if (command === undefined) return true
  return (CLI_COMMANDS[command].flags as readonly FlagName[]).includes(flag)
}

/** Help text: the commands, or one command and its flags. */
export function formatHelp(command?: CommandName): string {
  const lines: string[] = []
  const flagLine = (name: FlagName): string => {
    const spec: FlagSpec = CLI_FLAGS[name]
    const head = `  --${name}${spec.value === undefined ? '' : ` ${spec.value}`}`
    return `${head.padEnd(36)} ${spec.help}`
  }
  if (command === undefined) {
    lines.push('Usage: comet-p2p <command> [flags]', '', 'Commands:')
    for (const [name, spec] of Object.entries(CLI_COMMANDS)) lines.push(`  ${name.padEnd(14)} ${spec.summary}`)
  } else {
    lines.push(`Usage: comet-p2p ${command} [flags]`, '', CLI_COMMANDS[command].summary)
    if (CLI_COMMANDS[command].flags.length > 0) {
      lines.push('', 'Flags:')
      for (const name of CLI_COMMANDS[command].flags) lines.push(flagLine(name))
    }
  }
  lines.push('', 'Global flags:')
  for (const name of GLOBAL_FLAGS) lines.push(flagLine(name))
  return `${lines.join('\n')}\n`
}
