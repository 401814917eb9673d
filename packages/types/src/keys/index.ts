export { NODE_ID_BYTE_LENGTH, ED25519_PUBLIC_KEY_LENGTH, nodeIdFromPubKey, isValidNodeId, assertNodeId } from './node-id.js'
export type { NodeId } from './node-id.js'
