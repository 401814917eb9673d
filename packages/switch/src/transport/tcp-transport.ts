import { setMaxListeners } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import {
  InvalidArgumentError,
  NetAddress,
  abortErrorFor,
  deadlineSignal,
  noopMetrics,
  silentLogger,
  throwIfAborted,
  type AbortOptions,
  type CounterMetric,
  type Logger,
  type NodeIdentity,
  type NodeInfo
} from '@comet-p2p/types'
import { RejectedError, TransportClosedError } from '../errors.js'
import { TypedEmitter } from '../events.js'
import { runFilters } from '../filters.js'
import { linkSignals } from '../signals.js'
import { AcceptQueue } from './accept-queue.js'
import { ConnSet, KeyedCounter } from './conn-set.js'
import { connectSocket } from './dial.js'
import { resolveTransportLimits, type ResolvedTransportLimits, type TcpTransportOptions } from './options.js'
import type { ConnFilter, ListenAddress, Transport, TransportEvents, UpgradedConnection } from './transport.js'
import { TcpConnection } from './tcp-connection.js'
import { upgradeConnection } from './upgrade.js'

const ignore = (): void => undefined

/**
 * The reference `MultiplexTransport`: TCP connections upgraded to secret
 * connections, then a NodeInfo exchange, with connection filters, a table of
 * open connections that refuses duplicates, and limits on inbound
 * handshakes. Inbound connections are upgraded concurrently, each under its
 * own deadline; a rejected or failed connection is closed at once, counted in
 * `rejected_connections_total{reason}`, logged, and reported through the
 * `rejected` event, never thrown.
 */
export class TcpTransport extends TypedEmitter<TransportEvents> implements Transport {
  readonly #identity: NodeIdentity
  readonly #limits: ResolvedTransportLimits
  readonly #filters: readonly ConnFilter[]
  readonly #scOptions: NonNullable<TcpTransportOptions['secretConnection']>
  readonly #logger: Logger
  readonly #rejectedTotal: CounterMetric
  readonly #conns = new ConnSet()
  readonly #closing = new AbortController()
  readonly #accepted = new AcceptQueue<TcpConnection>((conn) => conn.leaveQueue())
  readonly #inboundPerIp = new KeyedCounter()
  readonly #handshakesPerIp = new KeyedCounter()
  #inbound = 0
  #handshaking = 0
  #nodeInfo: NodeInfo | undefined
  #server: Server | undefined
  #netAddr: NetAddress | undefined
  #closed = false

  constructor(options: TcpTransportOptions) {
    const logger = options.logger ?? silentLogger
    super(logger)
    this.#identity = options.nodeKey
    this.#limits = resolveTransportLimits(options)
    this.#filters = [...(options.connFilters ?? [])]
    this.#scOptions = options.secretConnection ?? {}
    this.#logger = logger
    this.#rejectedTotal = (options.metrics ?? noopMetrics).counter({
      name: 'rejected_connections_total',
      help: 'Connections refused by the transport, by reason.',
      labelNames: ['reason']
    })
    // Every handshake and dial in progress listens to this signal.
    setMaxListeners(0, this.#closing.signal)
    if (options.nodeInfo !== undefined) this.setNodeInfo(options.nodeInfo)
  }

  /** The effective limits and time limits. */
  get limits(): Readonly<ResolvedTransportLimits> {
    return this.#limits
  }

  /** Inbound connections being upgraded or waiting for `accept`. */
  get pendingHandshakes(): number {
    return this.#handshaking
  }

  setNodeInfo(nodeInfo: NodeInfo): void {
    if (nodeInfo.id !== this.#identity.id) {
      throw new InvalidArgumentError(`NodeInfo id ${nodeInfo.id} is not the node key's ID ${this.#identity.id}`)
    }
    this.#nodeInfo = nodeInfo
  }

  netAddress(): NetAddress | undefined {
    return this.#netAddr
  }

  async listen(addr: NetAddress | ListenAddress): Promise<NetAddress> {
    if (this.#closed) throw new TransportClosedError()
    if (this.#server !== undefined) throw new InvalidArgumentError('the transport is already listening')
    const host = 'host' in addr ? addr.host : addr.ip
    // Checks that the host is an IP literal and the port in range.
    NetAddress.fromParts(this.#identity.id, host, addr.port)
    const server = createServer({ noDelay: true })
    this.#server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host, port: addr.port }, () => {
        server.off('error', reject)
        resolve()
      })
    }).catch((err: unknown) => {
      this.#server = undefined
      server.close(ignore)
      throw err
    })
    server.on('error', (err) => this.#logger.error('listener failed', { error: err.message }))
    server.on('connection', this.#onConnection)
    const bound = server.address()
    const port = typeof bound === 'object' && bound !== null ? bound.port : addr.port
    this.#netAddr = NetAddress.fromParts(this.#identity.id, host, port)
    this.#logger.info('listening', { addr: this.#netAddr.toString() })
    return this.#netAddr
  }

  accept(options: AbortOptions = {}): Promise<UpgradedConnection> {
    return this.#accepted.take(options.signal)
  }

  async dial(addr: NetAddress, options: AbortOptions = {}): Promise<UpgradedConnection> {
    throwIfAborted(options.signal)
    if (this.#closed) throw new TransportClosedError()
    const socket = await connectSocket(addr, this.#limits.dialTimeoutMs, options.signal, this.#closing.signal)
    try {
      return await this.#upgrade(socket, addr.dialString(), addr.ip, addr, options.signal, ignore)
    } catch (err) {
      if (options.signal?.aborted === true) throw abortErrorFor(options.signal)
      if (err instanceof RejectedError) this.#count(err, 'outbound')
      throw err
    }
  }

  cleanup(conn: UpgradedConnection): void {
    if (conn instanceof TcpConnection) {
      this.#conns.remove(conn.remote, conn.owner)
      this.#accepted.remove(conn)
    }
    conn.stream.destroy()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const error = new TransportClosedError()
    this.#closing.abort(error)
    for (const conn of this.#accepted.close(error)) this.cleanup(conn)
    // The listening socket closes at once; the callback (which waits for
    // every connection the server ever accepted) is not awaited.
    this.#server?.close(ignore)
    this.#server?.off('connection', this.#onConnection)
  }

  readonly #onConnection = (socket: Socket): void => {
    socket.on('error', ignore)
    const rawIp = socket.remoteAddress
    if (this.#closed || rawIp === undefined) {
      socket.destroy()
      return
    }
    let remoteAddr: NetAddress
    try {
      remoteAddr = NetAddress.fromParts('', rawIp, socket.remotePort ?? 0)
    } catch {
      socket.destroy()
      return
    }
    const ip = remoteAddr.ip
    const remote = remoteAddr.dialString()
    this.#inbound++
    this.#inboundPerIp.inc(ip)
    socket.once('close', () => {
      this.#inbound--
      this.#inboundPerIp.dec(ip)
    })
    const refusal = this.#checkInboundLimits(ip, remote)
    if (refusal !== undefined) {
      socket.destroy()
      this.#report(refusal)
      return
    }
    this.#handshaking++
    this.#handshakesPerIp.inc(ip)
    let released = false
    const release = (): void => {
      if (released) return
      released = true
      this.#handshaking--
      this.#handshakesPerIp.dec(ip)
    }
    this.#upgrade(socket, remote, ip, undefined, undefined, release).then(
      (conn) => this.#admit(conn),
      (err: unknown) => {
        release()
        this.#report(err instanceof RejectedError ? err : new RejectedError('handshake_failed', String(err), { remote, cause: err }))
      }
    )
  }

  #checkInboundLimits(ip: string, remote: string): RejectedError | undefined {
    const l = this.#limits
    if (l.maxIncomingConnections > 0 && this.#inbound > l.maxIncomingConnections) {
      return new RejectedError('too_many_connections', `${l.maxIncomingConnections} inbound connections are open`, { remote })
    }
    if (l.maxConnectionsPerIp > 0 && this.#inboundPerIp.get(ip) > l.maxConnectionsPerIp) {
      return new RejectedError('too_many_from_ip', `${ip} has ${l.maxConnectionsPerIp} inbound connections open`, { remote })
    }
    if (this.#handshaking >= l.maxConcurrentHandshakes) {
      return new RejectedError('too_many_handshakes', `${l.maxConcurrentHandshakes} inbound handshakes in progress`, { remote })
    }
    if (this.#handshakesPerIp.get(ip) >= l.maxHandshakesPerIp) {
      return new RejectedError('too_many_from_ip', `${ip} has ${l.maxHandshakesPerIp} inbound handshakes in progress`, { remote })
    }
    return undefined
  }

  /** Queues an upgraded inbound connection for `accept`; it leaves the queue if it closes while waiting. */
  #admit(conn: TcpConnection): void {
    if (this.#closed) {
      conn.release()
      this.cleanup(conn)
      return
    }
    conn.watchWhileQueued(() => this.#accepted.remove(conn))
    this.#accepted.push(conn)
  }

  /**
   * Filters and upgrades a connected socket; on failure the socket is
   * destroyed, its table entry removed, and a RejectedError thrown.
   */
  async #upgrade(
    socket: Socket,
    remote: string,
    ip: string,
    dialed: NetAddress | undefined,
    signal: AbortSignal | undefined,
    release: () => void
  ): Promise<TcpConnection> {
    const owner = {}
    const port = socket.remotePort ?? 0
    const parent = linkSignals(signal, this.#closing.signal)
    try {
      const ourInfo = this.#nodeInfo
      if (ourInfo === undefined) throw new RejectedError('closed', 'the transport has no NodeInfo yet', { remote })
      await this.#filterConn(socket, remote, ip, owner, parent.signal)
      const deadline = deadlineSignal(this.#limits.handshakeTimeoutMs, parent.signal, 'handshake')
      try {
        const { stream, nodeInfo } = await upgradeConnection(socket, {
          identity: this.#identity,
          ourInfo,
          dialed,
          signal: deadline.signal,
          remote,
          ip,
          port,
          secretConnection: this.#scOptions,
          logger: this.#logger
        })
        stream.on('error', ignore)
        const socketAddr = dialed ?? NetAddress.fromParts(stream.remoteId, ip, port)
        return new TcpConnection(stream, nodeInfo, stream.remoteId, dialed !== undefined, socketAddr, ip, remote, owner, release)
      } finally {
        deadline.clear()
      }
    } catch (err) {
      socket.destroy()
      this.#conns.remove(remote, owner)
      throw err
    } finally {
      parent.clear()
    }
  }

  /** The reference `filterConn`: refuse a duplicate `ip:port`, run the filters, then enter the table. */
  async #filterConn(socket: Socket, remote: string, ip: string, owner: object, signal: AbortSignal): Promise<void> {
    const duplicate = (): RejectedError => new RejectedError('duplicate', `a connection with ${remote} is already open`, { remote })
    if (this.#conns.has(remote)) throw duplicate()
    const filters = this.#filters.map((filter) => (s: AbortSignal) => filter(this.#conns, socket, [ip], { signal: s }))
    await runFilters(filters, this.#limits.filterTimeoutMs, `connection with ${remote}`, { remote }, signal)
    if (socket.destroyed) throw new RejectedError('handshake_failed', 'the connection closed during filtering', { remote })
    if (!this.#conns.add(remote, ip, owner)) throw duplicate()
    socket.once('close', () => this.#conns.remove(remote, owner))
  }

  #count(err: RejectedError, direction: 'inbound' | 'outbound'): void {
    this.#rejectedTotal.inc({ reason: err.reason })
    this.#logger.debug('connection rejected', { direction, reason: err.reason, remote: err.remote, error: err.message })
  }

  #report(err: RejectedError): void {
    this.#count(err, 'inbound')
    this.emit('rejected', err)
  }
}
