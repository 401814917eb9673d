/**
 * @packageDocumentation
 * The shared vocabulary of comet-p2p: node keys and IDs, network addresses,
 * NodeInfo, the CometBFT p2p wire messages, length-delimited framing, and the
 * error, logging, metrics and cancellation conventions every package uses.
 * Nothing here opens a socket.
 */
export * from './errors.js'
export * from './abort.js'
export * from './logger.js'
export * from './metrics.js'
export * from './clock.js'
export * from './keys/index.js'
export * from './framing/index.js'
export * from './wire/index.js'
export * from './net-address/index.js'
export * from './node-info/index.js'
