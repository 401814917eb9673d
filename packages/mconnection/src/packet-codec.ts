/*
 * Hand-written codec for `tendermint.p2p.Packet`, the only message type of
 * the multiplexed connection. It writes straight into a caller's buffer and
 * reads straight out of received chunks, so the hot paths allocate nothing
 * per packet. Tested against the protobufjs codec of @comet-p2p/types and the
 * reference vectors.
 *
 * Wire shape: Packet { oneof sum { PacketPing packet_ping = 1; PacketPong
 * packet_pong = 2; PacketMsg packet_msg = 3 } }, PacketMsg { int32
 * channel_id = 1; bool eof = 2; bytes data = 3 }, each packet preceded by
 * its uvarint length.
 */
import { MalformedPacketError } from './errors.js'

/** Packet kinds, as stored in {@link DecodedPacket.kind}. */
export const PacketKind = { None: 0, Ping: 1, Pong: 2, Msg: 3 } as const
export type PacketKind = (typeof PacketKind)[keyof typeof PacketKind]

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

/**
 * A decoded packet, as offsets into the buffer it was read from, so decoding
 * allocates nothing. One instance is reused for every packet.
 */
export interface DecodedPacket {
  kind: PacketKind
  /** The int32 channel id as sent (only for `Msg`). */
  channelId: number
  eof: boolean
  /** Payload bounds within the decoded buffer (only for `Msg`). */
  dataStart: number
  dataEnd: number
}

/** A fresh {@link DecodedPacket} to pass to {@link decodePacketInto}. */
export function newDecodedPacket(): DecodedPacket {
  return { kind: PacketKind.None, channelId: 0, eof: false, dataStart: 0, dataEnd: 0 }
}

// Scratch results of readVarint: the low and high 32 bits, and the new position.
let varLo = 0
let varHi = 0

/**
 * Reads a protobuf varint at `pos` (bounded by `end`) into varLo/varHi and
 * returns the position after it. Like gogo/protobuf: at most 10 bytes, bits
 * past the 64th dropped.
 */
function readVarint(buf: Uint8Array, pos: number, end: number): number {
  let lo = 0
  let hi = 0
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new MalformedPacketError('unexpected EOF')
    const b = buf[pos++] as number
    const bits = b & 0x7f
    if (i < 4) lo |= bits << (7 * i)
    else if (i === 4) {
      lo |= bits << 28
      hi |= bits >>> 4
    } else hi |= bits << (7 * i - 32)
    if (b < 0x80) {
      varLo = lo >>> 0
      varHi = hi >>> 0
      return pos
    }
  }
  throw new MalformedPacketError('proto: integer overflow')
}

/** Reads a length (of a field or a skipped value) and checks it fits before `end`. */
function readLength(buf: Uint8Array, pos: number, end: number): number {
  pos = readVarint(buf, pos, end)
  // Go decodes lengths into a signed int: the top bit means negative.
  if (varHi >= 0x80000000) throw new MalformedPacketError('proto: negative length found during unmarshaling')
  const length = varHi * 0x100000000 + varLo
  if (length > end - pos) throw new MalformedPacketError('unexpected EOF')
  return pos
}

/** Length decoded by the last {@link readLength}. */
function lastLength(): number {
  return varHi * 0x100000000 + varLo
}

/**
 * Skips one field starting at its tag (`pos`), following the rules of
 * gogo/protobuf's generated `skip` function, groups included.
 */
function skipField(buf: Uint8Array, pos: number, end: number): number {
  let depth = 0
  for (;;) {
    pos = readVarint(buf, pos, end)
    const wireType = varLo & 7
    switch (wireType) {
      case 0:
        pos = readVarint(buf, pos, end)
        break
      case 1:
        pos += 8
        break
      case 2:
        pos = readLength(buf, pos, end)
        pos += lastLength()
        break
      case 3:
        depth++
        break
      case 4:
        if (depth === 0) throw new MalformedPacketError('proto: unexpected end of group')
        depth--
        break
      case 5:
        pos += 4
        break
      default:
        throw new MalformedPacketError(`proto: illegal wireType ${wireType}`)
    }
    if (pos > end) throw new MalformedPacketError('unexpected EOF')
    if (depth === 0) return pos
    if (pos >= end) throw new MalformedPacketError('unexpected EOF')
  }
}

/** Reads a field tag at `pos`; leaves the field number in varLo and returns [pos, wireType] packed. */
function readTag(buf: Uint8Array, pos: number, end: number, message: string): number {
  pos = readVarint(buf, pos, end)
  const wireType = varLo & 7
  // gogo/protobuf keeps the field number as an int32: bits 3-34 of the tag.
  const fieldNumber = ((varLo >>> 3) | (varHi << 29)) | 0
  if (wireType === 4) throw new MalformedPacketError(`proto: ${message}: wiretype end group for non-group`)
  if (fieldNumber <= 0) throw new MalformedPacketError(`proto: ${message}: illegal tag ${fieldNumber} (wire type ${wireType})`)
  varLo = fieldNumber
  varHi = wireType
  return pos
}

/** Validates an empty message body (ping or pong): any content must be well-formed unknown fields. */
function checkEmptyMessage(buf: Uint8Array, pos: number, end: number, message: string): void {
  while (pos < end) {
    const fieldStart = pos
    readTag(buf, pos, end, message)
    pos = skipField(buf, fieldStart, end)
  }
}

function decodeMsgBody(buf: Uint8Array, pos: number, end: number, out: DecodedPacket): void {
  out.channelId = 0
  out.eof = false
  out.dataStart = pos
  out.dataEnd = pos
  while (pos < end) {
    const fieldStart = pos
    pos = readTag(buf, pos, end, 'PacketMsg')
    const field = varLo
    const wireType = varHi
    if (field === 1 || field === 2) {
      if (wireType !== 0) throw new MalformedPacketError(`proto: wrong wireType = ${wireType} for field ${field === 1 ? 'ChannelID' : 'EOF'}`)
      pos = readVarint(buf, pos, end)
      if (field === 1) out.channelId = varLo | 0
      else out.eof = (varLo | varHi) !== 0
    } else if (field === 3) {
      if (wireType !== 2) throw new MalformedPacketError(`proto: wrong wireType = ${wireType} for field Data`)
      pos = readLength(buf, pos, end)
      out.dataStart = pos
      pos += lastLength()
      out.dataEnd = pos
    } else {
      pos = skipField(buf, fieldStart, end)
    }
  }
}

const FIELD_NAMES = ['', 'PacketPing', 'PacketPong', 'PacketMsg'] as const

/**
 * Decodes the Packet in `buf[start, end)` into `out`, accepting and
 * rejecting exactly what the reference (gogo/protobuf) does: unknown fields
 * are skipped, a known field with the wrong wire type is an error, and when
 * several variants are present the last one wins. `out.kind` is
 * `PacketKind.None` for a packet with no variant (the caller decides that
 * this is an error). Throws {@link MalformedPacketError}.
 */
export function decodePacketInto(buf: Uint8Array, start: number, end: number, out: DecodedPacket): void {
  out.kind = PacketKind.None
  let pos = start
  while (pos < end) {
    const fieldStart = pos
    pos = readTag(buf, pos, end, 'Packet')
    const field = varLo
    const wireType = varHi
    if (field < 1 || field > 3) {
      pos = skipField(buf, fieldStart, end)
      continue
    }
    if (wireType !== 2) throw new MalformedPacketError(`proto: wrong wireType = ${wireType} for field ${FIELD_NAMES[field] ?? field}`)
    pos = readLength(buf, pos, end)
    const bodyEnd = pos + lastLength()
    if (field === 3) {
      decodeMsgBody(buf, pos, bodyEnd, out)
      out.kind = PacketKind.Msg
    } else {
      checkEmptyMessage(buf, pos, bodyEnd, field === 1 ? 'PacketPing' : 'PacketPong')
      out.kind = field === 1 ? PacketKind.Ping : PacketKind.Pong
    }
    pos = bodyEnd
  }
}
