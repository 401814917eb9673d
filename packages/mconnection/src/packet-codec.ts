/*
 * Hand-written encoder for `tendermint.p2p.Packet`, the only message type of
 * the multiplexed connection (the decoder is in packet-decoder.ts). It writes
 * straight into the caller's buffer, so sending allocates nothing per
 * packet. Tested against the protobufjs codec of @comet-p2p/types and the
 * reference vectors.
 *
 * Wire shape: Packet { oneof sum { PacketPing packet_ping = 1; PacketPong
 * packet_pong = 2; PacketMsg packet_msg = 3 } }, PacketMsg { int32
 * channel_id = 1; bool eof = 2; bytes data = 3 }, each packet preceded by
 * its uvarint length.
 */
/** Delimited ping: length 2, field 1 with an empty message. */
const PING = [0x02, 0x0a, 0x00] as const
/** Delimited pong: length 2, field 2 with an empty message. */
const PONG = [0x02, 0x12, 0x00] as const
/** Bytes taken on the wire by a delimited ping or pong. */
export const CONTROL_PACKET_SIZE = 3

/** Bytes an int32 takes as a protobuf varint (negative values take 10). */
function int32VarintSize(value: number): number {
  if (value < 0) return 10
  return uvarintSize(value)
}

/** Bytes a non-negative integer (below 2^53) takes as a uvarint. */
export function uvarintSize(value: number): number {
  if (value < 0x80) return 1
  if (value < 0x4000) return 2
  if (value < 0x200000) return 3
  if (value < 0x10000000) return 4
  let size = 4
  value = Math.floor(value / 0x10000000)
  while (value > 0) {
    size++
    value = Math.floor(value / 0x80)
  }
  return size
}

function writeUvarint(target: Uint8Array, pos: number, value: number): number {
  while (value >= 0x80) {
    target[pos++] = (value & 0x7f) | 0x80
    value = Math.floor(value / 0x80)
  }
  target[pos++] = value
  return pos
}

/** Writes an int32 as protobuf does: sign-extended to 64 bits, so negatives take 10 bytes. */
function writeInt32Varint(target: Uint8Array, pos: number, value: number): number {
  if (value >= 0) return writeUvarint(target, pos, value)
  let lo = value >>> 0
  let hi = 0xffffffff
  for (let i = 0; i < 9; i++) {
    target[pos++] = (lo & 0x7f) | 0x80
    lo = ((lo >>> 7) | (hi << 25)) >>> 0
    hi = hi >>> 7
  }
  target[pos++] = lo & 0x01
  return pos
}

/** Size of the PacketMsg body (without the Packet wrapper). */
function msgBodySize(channelId: number, eof: boolean, dataLength: number): number {
  let size = 0
  if (channelId !== 0) size += 1 + int32VarintSize(channelId)
  if (eof) size += 2
  if (dataLength > 0) size += 1 + uvarintSize(dataLength) + dataLength
  return size
}

/** Size of the Packet holding a PacketMsg, without the length prefix. */
export function packetMsgSize(channelId: number, eof: boolean, dataLength: number): number {
  const body = msgBodySize(channelId, eof, dataLength)
  return 1 + uvarintSize(body) + body
}

/** Size on the wire (length prefix included) of a PacketMsg. */
export function delimitedPacketMsgSize(channelId: number, eof: boolean, dataLength: number): number {
  const packet = packetMsgSize(channelId, eof, dataLength)
  return uvarintSize(packet) + packet
}

/**
 * The largest packet (without prefix) a receiver accepts, computed the way
 * the reference does: the size of a PacketMsg on channel 1 with eof set and
 * a full payload (1034 for a 1024-byte payload).
 */
export function maxPacketMsgSize(maxPayload: number): number {
  return packetMsgSize(1, true, maxPayload)
}

/**
 * The largest payload a *final* (eof) packet on `channelId` may carry without
 * exceeding {@link maxPacketMsgSize}: `maxPayload` on channels below 0x80,
 * one byte less above (their id takes a 2-byte varint). The reference sends
 * a 1035-byte final packet there, which its own receivers reject. Packets
 * without eof are 2 bytes shorter, so they always fit `maxPayload` bytes.
 * May be 0 for tiny `maxPayload` values: the message then ends with an
 * empty final packet.
 */
export function eofPayloadLimit(channelId: number, maxPayload: number): number {
  const limit = maxPacketMsgSize(maxPayload)
  let payload = maxPayload
  while (payload > 0 && packetMsgSize(channelId, true, payload) > limit) payload--
  return payload
}

/**
 * Writes the delimited PacketMsg carrying `data[dataStart, dataEnd)` into
 * `target` at `pos` and returns the position after it. The caller ensures
 * room for {@link delimitedPacketMsgSize} bytes.
 */
export function writePacketMsg(
  target: Uint8Array,
  pos: number,
  channelId: number,
  eof: boolean,
  data: Uint8Array,
  dataStart: number,
  dataEnd: number
): number {
  const dataLength = dataEnd - dataStart
  const body = msgBodySize(channelId, eof, dataLength)
  const packet = 1 + uvarintSize(body) + body
  pos = writeUvarint(target, pos, packet)
  target[pos++] = 0x1a
  pos = writeUvarint(target, pos, body)
  if (channelId !== 0) {
    target[pos++] = 0x08
    pos = writeInt32Varint(target, pos, channelId)
  }
  if (eof) {
    target[pos++] = 0x10
    target[pos++] = 0x01
  }
  if (dataLength > 0) {
    target[pos++] = 0x1a
    pos = writeUvarint(target, pos, dataLength)
    if (dataLength <= 32) {
      // A loop beats TypedArray#set (and its subarray view) for tiny copies.
      for (let i = dataStart; i < dataEnd; i++) target[pos++] = data[i] as number
    } else {
      target.set(dataStart === 0 && dataEnd === data.length ? data : data.subarray(dataStart, dataEnd), pos)
      pos += dataLength
    }
  }
  return pos
}

/** Writes a delimited ping at `pos`; returns the position after it. */
export function writePing(target: Uint8Array, pos: number): number {
  target[pos] = PING[0]
  target[pos + 1] = PING[1]
  target[pos + 2] = PING[2]
  return pos + CONTROL_PACKET_SIZE
}

/** Writes a delimited pong at `pos`; returns the position after it. */
export function writePong(target: Uint8Array, pos: number): number {
  target[pos] = PONG[0]
  target[pos + 1] = PONG[1]
  target[pos + 2] = PONG[2]
  return pos + CONTROL_PACKET_SIZE
}
