import { DecodeError } from '../errors.js'
import { decodeProto, plainBytes } from './decode.js'
import { tendermint } from './generated.js'

/** A keepalive request. */
export interface PacketPing {
  type: 'ping'
}

/** The answer to a {@link PacketPing}. */
export interface PacketPong {
  type: 'pong'
}

/** A piece of a channel message; `eof` marks the last piece. */
export interface PacketMsg {
  type: 'msg'
  /** Channel ID; on the wire an int32, so peers can send values outside 0-255 that receivers must reject. */
  channelId: number
  eof: boolean
  data: Uint8Array
}

/** One packet of the multiplexed connection (`tendermint.p2p.Packet`). */
export type Packet = PacketPing | PacketPong | PacketMsg

const { Packet: PacketProto } = tendermint.p2p

/** Protobuf encoding of a packet, without length prefix. */
export function encodePacket(packet: Packet): Uint8Array {
  switch (packet.type) {
    case 'ping':
      return PacketProto.encode({ packetPing: {} }).finish()
    case 'pong':
      return PacketProto.encode({ packetPong: {} }).finish()
    case 'msg':
      return PacketProto.encode({
        packetMsg: { channelId: packet.channelId, eof: packet.eof, data: packet.data }
      }).finish()
  }
}

/** Decodes a packet; a packet with no known variant set is a {@link DecodeError}, as in the reference. */
export function decodePacket(bytes: Uint8Array): Packet {
  const decoded = decodeProto(PacketProto, bytes, 'packet')
  switch (decoded.sum) {
    case 'packetPing':
      return { type: 'ping' }
    case 'packetPong':
      return { type: 'pong' }
    case 'packetMsg': {
      const msg = decoded.packetMsg
      return { type: 'msg', channelId: msg?.channelId ?? 0, eof: msg?.eof ?? false, data: plainBytes(msg?.data) }
    }
    default:
      throw new DecodeError('unknown packet type: no ping, pong or msg set')
  }
}
