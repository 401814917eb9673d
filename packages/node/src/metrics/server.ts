import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { silentLogger, throwIfAborted, type AbortOptions, type Logger } from '@comet-p2p/types'
import { parseListenAddress } from '../config/address.js'
import { MetricsListenError } from './errors.js'

/** What the endpoint serves: a {@link PrometheusMetrics} or a prom-client `Registry`. */
export interface MetricsSource {
  metrics(): Promise<string>
  readonly contentType: string
}

/** Options of {@link serveMetrics}. */
export interface ServeMetricsOptions extends AbortOptions {
  /** `host:port` (`prometheus_listen_addr`): `":26660"` listens on every interface, port 0 on a free port; `tcp://` is allowed. */
  laddr: string
  /** The metrics to serve. */
  registry: MetricsSource
  /**
   * Most connections open at once; 0 for no limit (`max_open_connections`).
   * Default 3, the reference's. Over the limit, new connections are closed
   * at once (the reference makes them wait instead).
   */
  maxOpenConnections?: number | undefined
  logger?: Logger | undefined
}

/** A running metrics endpoint. */
export interface MetricsServer {
  /** The address listened on (the actual port when 0 was asked for). */
  readonly address: { host: string; port: number }
  /** `http://host:port/metrics`. */
  readonly url: string
  /** Stops listening and drops open connections; resolves once the server is closed. Idempotent. */
  close(): Promise<void>
}

async function respond(registry: MetricsSource, logger: Logger, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]
  if (path !== '/metrics') {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found; metrics are at /metrics\n')
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n')
    return
  }
  let body: string
  try {
    body = await registry.metrics()
  } catch (err) {
    logger.error('collecting metrics failed', { error: err })
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('collecting metrics failed\n')
    return
  }
  res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(body) })
  res.end(req.method === 'HEAD' ? undefined : body)
}

/**
 * Serves `registry` over HTTP at `/metrics` on `laddr`, as the reference
 * does when `instrumentation.prometheus` is on. Resolves once listening.
 * Rejects with a {@link MetricsListenError} when the address cannot be
 * listened on (in use, not local, no permission), an `InvalidArgumentError`
 * for a malformed `laddr`, or an `AbortError` if the signal has fired. When
 * the signal fires later, the server closes.
 */
export async function serveMetrics(options: ServeMetricsOptions): Promise<MetricsServer> {
  const { laddr, registry, signal } = options
  const logger = options.logger ?? silentLogger
  const { host, port } = parseListenAddress(laddr)
  throwIfAborted(signal)
  const server = createServer((req, res) => {
    respond(registry, logger, req, res).catch((err: unknown) => {
      logger.error('metrics request failed', { error: err })
      res.destroy()
    })
  })
  const limit = options.maxOpenConnections ?? 3
  if (limit > 0) server.maxConnections = limit
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: host === '' ? undefined : host, port }, () => {
      server.off('error', reject)
      resolve()
    })
  }).catch((err: unknown) => {
    server.close()
    throw new MetricsListenError(laddr, err)
  })
  server.on('error', (err) => logger.error('metrics server error', { error: err }))

  let closing: Promise<void> | undefined
  const onAbort = (): void => void close()
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      signal?.removeEventListener('abort', onAbort)
      server.close(() => resolve())
      server.closeAllConnections()
    })
    return closing
  }
  if (signal !== undefined) {
    if (signal.aborted) {
      await close()
      throwIfAborted(signal)
    } else signal.addEventListener('abort', onAbort, { once: true })
  }

  const bound = server.address() as AddressInfo
  const shownHost = bound.address.includes(':') ? `[${bound.address}]` : bound.address
  logger.info('serving metrics', { url: `http://${shownHost}:${bound.port}/metrics` })
  return {
    address: { host: bound.address, port: bound.port },
    url: `http://${shownHost}:${bound.port}/metrics`,
    close
  }
}
