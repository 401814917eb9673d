/*
 * The hand-written packet codec against protobufjs (the codec of
 * @comet-p2p/types), encoding into a reused buffer and decoding from one,
 * for a full 1024-byte payload and for a small 64-byte one.
 */
import { encodeDelimited, encodePacket, decodePacket } from '@comet-p2p/types'
import { emitBenchResult } from '@comet-p2p/testing'
import { writePacketMsg } from '../src/packet-codec.js'
import { decodePacketInto, newDecodedPacket } from '../src/packet-decoder.js'

function opsPerSecond(fn: () => void, ms = 300): number {
  for (let i = 0; i < 2000; i++) fn()
  let ops = 0
  const started = performance.now()
  let now = started
  while (now - started < ms) {
    for (let i = 0; i < 500; i++) fn()
    ops += 500
    now = performance.now()
  }
  return Math.round((ops * 1000) / (now - started))
}

export function runCodecBench(runs: number): void {
  for (const size of [64, 1024]) {
    const data = new Uint8Array(size).fill(3)
    const target = new Uint8Array(2048)
    const proto = encodePacket({ type: 'msg', channelId: 0x30, eof: true, data })
    const decoded = newDecodedPacket()
    const cases: [string, () => void][] = [
      ['encode-handwritten', () => void writePacketMsg(target, 0, 0x30, true, data, 0, size)],
      ['encode-protobufjs', () => void encodeDelimited(encodePacket({ type: 'msg', channelId: 0x30, eof: true, data }))],
      ['decode-handwritten', () => decodePacketInto(proto, 0, proto.length, decoded)],
      ['decode-protobufjs', () => void decodePacket(proto)]
    ]
    for (const [workload, fn] of cases) {
      const results: number[] = []
      for (let i = 0; i < runs; i++) results.push(opsPerSecond(fn))
      emitBenchResult({ suite: 'mconnection', workload: `codec-${workload}`, params: { payload: size }, unit: 'packets/s', runs: results })
    }
  }
}
