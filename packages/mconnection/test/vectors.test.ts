import { fromHex, loadVector, toHex } from '@comet-p2p/testing'
import { decodePacket, encodeDelimited, encodePacket, type Packet } from '@comet-p2p/types'
import { describe, expect, it } from 'vitest'
import {
  MalformedPacketError,
  MessageOverCapacityError,
  PacketTooLargeError,
  UnknownChannelError,
  UnknownPacketTypeError,
  maxPacketMsgSize
} from '../src/index.js'
import { delimitedPacketMsgSize, writePacketMsg, writePing, writePong } from '../src/packet-codec.js'
import { decodePacketInto, newDecodedPacket, PacketKind } from '../src/packet-decoder.js'
import { makePeer, ScriptedStream, waitFor } from './helpers.js'

interface VectorPacket {
  type: 'ping' | 'pong' | 'msg'
  channel_id?: number
  eof?: boolean
  data_hex?: string
}
interface PacketsFile {
  max_packet_msg_size: number
  cases: { name: string; packet: VectorPacket; proto_hex: string; delimited_hex: string }[]
  message_split: {
    name: string
    channel_id: number
    max_packet_payload: number
    message_hex: string
    packets: { packet: VectorPacket; delimited_hex: string }[]
    wire_hex: string
  }[]
  receive_errors: { name: string; description: string; wire_hex: string; expect_error: string }[]
}

const vectors = loadVector<PacketsFile>('packets.json')

function toPacket(p: VectorPacket): Packet {
  if (p.type !== 'msg') return { type: p.type }
  return { type: 'msg', channelId: p.channel_id ?? 0, eof: p.eof ?? false, data: fromHex(p.data_hex ?? '') }
}

/** Our encoder, as one delimited packet. */
function encodeFast(packet: Packet): Uint8Array {
  if (packet.type === 'ping') return writeAndSlice(3, (b) => writePing(b, 0))
  if (packet.type === 'pong') return writeAndSlice(3, (b) => writePong(b, 0))
  const size = delimitedPacketMsgSize(packet.channelId, packet.eof, packet.data.length)
  return writeAndSlice(size, (b) => writePacketMsg(b, 0, packet.channelId, packet.eof, packet.data, 0, packet.data.length))
}

function writeAndSlice(size: number, write: (b: Uint8Array) => number): Uint8Array {
  const buf = new Uint8Array(size + 16)
  const end = write(buf)
  expect(end).toBe(size)
  return buf.subarray(0, end)
}

/** Our decoder, back to the shared Packet shape. */
function decodeFast(proto: Uint8Array): Packet | 'none' {
  const d = newDecodedPacket()
  decodePacketInto(proto, 0, proto.length, d)
  if (d.kind === PacketKind.Ping) return { type: 'ping' }
  if (d.kind === PacketKind.Pong) return { type: 'pong' }
  if (d.kind === PacketKind.Msg) return { type: 'msg', channelId: d.channelId, eof: d.eof, data: proto.slice(d.dataStart, d.dataEnd) }
  return 'none'
}

describe('packets.json: encodings', () => {
  it('has the documented limit', () => {
    expect(maxPacketMsgSize(1024)).toBe(vectors.max_packet_msg_size)
    expect(vectors.cases.length).toBe(40)
  })

  for (const c of vectors.cases) {
    it(`${c.name}: both codecs encode and decode it exactly`, () => {
      const packet = toPacket(c.packet)
      expect(toHex(encodeFast(packet))).toBe(c.delimited_hex)
      expect(toHex(encodeDelimited(encodePacket(packet)))).toBe(c.delimited_hex)
      const proto = fromHex(c.proto_hex)
      expect(decodeFast(proto)).toEqual(packet)
      expect(decodePacket(proto)).toEqual(packet)
    })
  }
})

describe('packets.json: message_split', () => {
  for (const split of vectors.message_split) {
    it(`${split.name}: a send writes exactly the reference's packets`, async () => {
      expect(split.max_packet_payload).toBe(1024)
      const stream = new ScriptedStream()
      const peer = makePeer(stream, [{ id: split.channel_id, priority: 1 }])
      peer.conn.start()
      expect(await peer.conn.send(split.channel_id, fromHex(split.message_hex))).toBe(true)
      await waitFor(() => stream.output().length >= split.wire_hex.length / 2, 2000, 'the packets')
      expect(toHex(stream.output())).toBe(split.wire_hex)
      expect(split.packets.map((p) => p.delimited_hex).join('')).toBe(split.wire_hex)
      await peer.conn.stop()
    })

    it(`${split.name}: the reference's packets reassemble into the message`, async () => {
      const stream = new ScriptedStream()
      const peer = makePeer(stream, [{ id: split.channel_id, priority: 1 }])
      peer.conn.start()
      const wire = fromHex(split.wire_hex)
      // Feed it in awkward pieces: 7 bytes, then the rest.
      stream.push(wire.subarray(0, 7))
      stream.push(wire.subarray(7))
      await waitFor(() => peer.received.length === 1, 2000, 'the message')
      expect(peer.received[0]?.channelId).toBe(split.channel_id)
      expect(toHex(peer.received[0]!.message)).toBe(split.message_hex)
      expect(peer.errors).toEqual([])
      peer.conn.destroy()
    })
  }
})

const expectedClass = {
  unknown_channel_0x31: UnknownChannelError,
  channel_256: UnknownChannelError,
  channel_negative: UnknownChannelError,
  empty_packet: UnknownPacketTypeError,
  packet_over_max_size: PacketTooLargeError,
  message_exceeds_recv_capacity: MessageOverCapacityError,
  malformed_protobuf: MalformedPacketError,
  wrong_wire_type: MalformedPacketError
} as const

describe('packets.json: receive_errors', () => {
  it('covers every case', () => {
    expect(vectors.receive_errors.map((c) => c.name).sort()).toEqual(Object.keys(expectedClass).sort())
  })

  for (const c of vectors.receive_errors) {
    it(`${c.name} stops the connection once with ${expectedClass[c.name as keyof typeof expectedClass].name}`, async () => {
      const stream = new ScriptedStream()
      const peer = makePeer(stream, [{ id: 0x30, priority: 1, recvMessageCapacity: 100 }])
      peer.conn.start()
      stream.push(fromHex(c.wire_hex))
      await waitFor(() => peer.errors.length > 0, 2000, 'the error')
      await new Promise((resolve) => setTimeout(resolve, 10))
      expect(peer.errors).toHaveLength(1)
      const error = peer.errors[0]!
      const cls = expectedClass[c.name as keyof typeof expectedClass]
      expect(error).toBeInstanceOf(cls)
      expect(error.code).toBe(cls.code)
      expect(stream.destroyed).toBe(true)
      expect(peer.conn.isRunning).toBe(false)
      expect(peer.received).toEqual([])
      if (error instanceof UnknownChannelError) expect(error.channelId).toBe({ unknown_channel_0x31: 0x31, channel_256: 256, channel_negative: -1 }[c.name])
      if (error instanceof PacketTooLargeError) expect([error.size, error.limit]).toEqual([1035, 1034])
      if (error instanceof MessageOverCapacityError) expect([error.size, error.capacity]).toEqual([128, 100])
      if (c.name === 'wrong_wire_type') expect(error.message).toBe(c.expect_error)
      expect(stream.listenerCount('data')).toBe(0)
    })
  }
})
