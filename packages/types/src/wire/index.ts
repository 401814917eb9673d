export { encodePacket, decodePacket } from './packet.js'
export type { Packet, PacketPing, PacketPong, PacketMsg } from './packet.js'
export { encodePexMessage, decodePexMessage } from './pex.js'
export type { PexMessage, PexRequestMessage, PexAddrsMessage, NetAddressProto } from './pex.js'
export { encodeAuthSigMessage, decodeAuthSigMessage, encodeBytesValue, decodeBytesValue } from './auth-sig.js'
export type { AuthSigMessage, PublicKeyProto } from './auth-sig.js'
/**
 * The protobufjs classes generated from the package's `.proto` files, for
 * callers who need the raw messages.
 */
export { tendermint, google } from './generated.js'
