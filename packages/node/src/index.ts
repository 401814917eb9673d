/**
 * @packageDocumentation
 * A composed CometBFT p2p node: `createNode` wires the TCP transport, the
 * switch, the address book, PEX and your reactors, configured like the
 * reference `[p2p]` section; `createNodeFromHome` reads a home directory in
 * CometBFT's layout (`config.toml`, `node_key.json`, `addrbook.json`,
 * `genesis.json`). Also here: the configuration and home helpers,
 * command-line parsing, a structured logger in CometBFT's formats and a
 * Prometheus metrics registry and endpoint. The `comet-p2p` command is built
 * from the same package (`dist/cli.js`).
 */
export * from './node/index.js'
export * from './config/index.js'
export * from './home/index.js'
export * from './logging/index.js'
export * from './metrics/index.js'
export { parseArgs } from './cli/args.js'
export type { ParsedArgs } from './cli/args.js'
export { CLI_FLAGS, CLI_COMMANDS, formatHelp } from './cli/args-spec.js'
export type { FlagKind, FlagSpec, FlagName, ParsedFlags, CommandSpec, CommandName } from './cli/args-spec.js'
export { flagsToOverrides, applyFlags } from './cli/args-apply.js'
export { UsageError, formatUserError } from './cli/args-errors.js'
export type { UsageErrorOptions } from './cli/args-errors.js'
export { BaseReactor } from '@comet-p2p/switch'
export type { Reactor, Envelope, Peer, SwitchLike, ChannelDescriptor } from '@comet-p2p/switch'
export { NodeKey } from '@comet-p2p/types'
