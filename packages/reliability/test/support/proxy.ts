import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * TCP proxies on 127.0.0.1 that can blackhole traffic: while partitioned,
 * bytes in both directions are dropped (connections stay open, new ones are
 * accepted and go nowhere), as when a network path fails without resets.
 */
export class Partitioner {
  readonly #servers: Server[] = []
  readonly #sockets = new Set<Socket>()
  #partitioned = false

  /** Starts a proxy to 127.0.0.1:`targetPort`; resolves with its port. */
  async proxy(targetPort: number): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect({ host: '127.0.0.1', port: targetPort, noDelay: true })
      for (const s of [client, upstream]) {
        this.#sockets.add(s)
        s.on('error', () => undefined)
        s.on('close', () => {
          this.#sockets.delete(s)
          client.destroy()
          upstream.destroy()
        })
      }
      client.on('data', (d: Buffer) => {
        if (!this.#partitioned) upstream.write(d)
      })
      upstream.on('data', (d: Buffer) => {
        if (!this.#partitioned) client.write(d)
      })
    })
    this.#servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return (server.address() as { port: number }).port
  }

  partition(): void {
    this.#partitioned = true
  }

  heal(): void {
    this.#partitioned = false
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy()
    await Promise.all(this.#servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  }
}
