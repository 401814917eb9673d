/**
 * @packageDocumentation
 * A composed CometBFT p2p node and its command line. This part holds the
 * foundations: the configuration (`config.toml` in CometBFT's layout, Go
 * durations, validation), the home directory (`config/`, `data/`, node key,
 * genesis chain ID), command-line parsing, a structured logger in
 * CometBFT's formats and a Prometheus metrics registry and endpoint.
 */
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
