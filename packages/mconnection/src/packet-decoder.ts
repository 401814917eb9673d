/*
 * Hand-written decoder for `tendermint.p2p.Packet`: reads straight out of the
 * received bytes into a reused result, so receiving allocates nothing per
 * packet beyond the message itself. It accepts and rejects exactly what the
 * reference's gogo/protobuf code does.
 */
import { MalformedPacketError } from './errors.js'

/** Packet kinds, as stored in {@link DecodedPacket.kind}. */
export const PacketKind = { None: 0, Ping: 1, Pong: 2, Msg: 3 } as const
export type PacketKind = (typeof PacketKind)[keyof typeof PacketKind]

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
