import { createLogger, createNodeFromHome, type P2PNode } from '@comet-p2p/node'

/** What a seed needs: a home (its key and address book live there), a chain, an address. */
export interface SeedOptions {
  home: string
  chainId: string
  laddr: string
  /** Other seeds to crawl from. */
  seeds?: string[] | undefined
  /** A private or local network: keep non-routable addresses, allow several nodes per IP. */
  private?: boolean | undefined
  logLevel?: string | undefined
}

/**
 * A seed node: PEX in seed mode crawls the network, answers each node's
 * address request once, then hangs up. The home is created on first use
 * (`initHome` through `generateNodeKey`), and the address book it fills is
 * kept there across restarts.
 */
export async function startSeed(options: SeedOptions): Promise<P2PNode> {
  const seed = await createNodeFromHome(
    options.home,
    {
      chainId: options.chainId,
      moniker: 'seed',
      p2p: {
        laddr: options.laddr,
        seedMode: true,
        pex: true,
        seeds: options.seeds,
        addrBookStrict: options.private !== true,
        allowDuplicateIp: options.private === true,
        maxNumInboundPeers: 200
      }
    },
    { generateNodeKey: true, logger: createLogger({ level: options.logLevel ?? 'none' }) }
  )
  await seed.start()
  return seed
}
