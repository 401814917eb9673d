export { NODE_ID_BYTE_LENGTH, ED25519_PUBLIC_KEY_LENGTH, nodeIdFromPubKey, isValidNodeId, assertNodeId } from './node-id.js'
export type { NodeId } from './node-id.js'
export { NodeKey, verifyEd25519, ED25519_SEED_LENGTH, ED25519_SIGNATURE_LENGTH } from './node-key.js'
export type { NodeIdentity } from './node-key.js'
export {
  PRIV_KEY_ED25519_TYPE,
  formatNodeKeyJson,
  parseNodeKeyJson,
  loadNodeKey,
  saveNodeKey,
  loadOrGenerateNodeKey
} from './node-key-file.js'
