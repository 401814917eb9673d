import { DecodeError } from '../errors.js'
import { decodeProto } from './decode.js'
import { tendermint } from './generated.js'

/** An address as carried in PEX messages (`tendermint.p2p.NetAddress`): the IP is text, the port a uint32. */
export interface NetAddressProto {
  id: string
  ip: string
  port: number
}

/** Asks the peer for addresses. */
export interface PexRequestMessage {
  type: 'pex_request'
}

/** Addresses sent in answer to a request. */
export interface PexAddrsMessage {
  type: 'pex_addrs'
  addrs: NetAddressProto[]
}

/** A message of the peer-exchange channel (`tendermint.p2p.Message`). */
export type PexMessage = PexRequestMessage | PexAddrsMessage

const { Message } = tendermint.p2p

/** Protobuf encoding of a PEX message, as handed to the connection. */
export function encodePexMessage(message: PexMessage): Uint8Array {
  if (message.type === 'pex_request') return Message.encode({ pexRequest: {} }).finish()
  return Message.encode({
    pexAddrs: { addrs: message.addrs.map(({ id, ip, port }) => ({ id, ip, port })) }
  }).finish()
}

/**
 * Decodes a PEX message. Bytes that decode to no known variant (empty, only
 * unknown fields, wrong wire type) are a {@link DecodeError}. The addresses
 * are returned as sent: validating them is the receiver's job.
 */
export function decodePexMessage(bytes: Uint8Array): PexMessage {
  const decoded = decodeProto(Message, bytes, 'PEX message')
  switch (decoded.sum) {
    case 'pexRequest':
      return { type: 'pex_request' }
    case 'pexAddrs':
      return {
        type: 'pex_addrs',
        addrs: (decoded.pexAddrs?.addrs ?? []).map((a) => ({ id: a.id ?? '', ip: a.ip ?? '', port: a.port ?? 0 }))
      }
    default:
      throw new DecodeError('unknown PEX message: neither a request nor addresses')
  }
}
