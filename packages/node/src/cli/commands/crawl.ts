import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { NodeKey, parseNetAddress, type NetAddress } from '@comet-p2p/types'
import { splitList } from '../../config/address.js'
import { crawlNetwork } from '../../crawl/crawler.js'
import { ProbeError } from '../../crawl/errors.js'
import { probeNodeInfo } from '../../crawl/probe.js'
import { renderReportHtml } from '../../crawl/report-html.js'
import { createLogger } from '../../logging/logger.js'
import { UsageError, formatUserError } from '../args-errors.js'
import type { Command } from '../context.js'
import { ProgressLine } from '../progress.js'

/** Writes `text` to `file` through a temporary file, so a reader never sees half a file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, text)
  await rename(tmp, file)
}

async function parseSeeds(text: string | undefined): Promise<NetAddress[]> {
  const list = splitList(text ?? '')
  if (list.length === 0) throw new UsageError('crawl needs --seeds ID@HOST:PORT[,...]', { flag: 'seeds' })
  const seeds: NetAddress[] = []
  for (const seed of list) {
    try {
      seeds.push(await parseNetAddress(seed))
    } catch (err) {
      throw new UsageError(`invalid seed ${JSON.stringify(seed)} for "--seeds" flag: ${formatUserError(err)}`, { flag: 'seeds', cause: err })
    }
  }
  return seeds
}

/** The chain ID of the first seed that tells us, through a bare handshake. */
async function discoverChainId(seeds: readonly NetAddress[], key: NodeKey): Promise<string> {
  const failures: string[] = []
  for (const seed of seeds) {
    try {
      return (await probeNodeInfo(seed, key)).network
    } catch (err) {
      failures.push(`${seed.dialString()}: ${formatUserError(err)}`)
    }
  }
  throw new ProbeError(`cannot learn the chain ID from the seeds (pass --chain-id): ${failures.join('; ')}`)
}

/**
 * `comet-p2p crawl --seeds ID@HOST:PORT[,...] [--chain-id ID] [--max-nodes N]
 * [--timeout S] [--out DIR]`: crawls the network through PEX, with a
 * progress line on stderr, and writes `nodes.json` and `report.html` to DIR.
 * Without `--chain-id`, the chain is learned from the first seed. Ctrl-C
 * ends the crawl early and still writes what was found.
 */
export const crawlCommand: Command = async ({ flags, stdout, stderr, signal }) => {
  const seeds = await parseSeeds(flags.seeds)
  const maxNodes = flags['max-nodes'] ?? 1000
  if (maxNodes < 1) throw new UsageError(`invalid argument "${maxNodes}" for "--max-nodes" flag: expected at least 1`, { flag: 'max-nodes' })
  const timeoutMs = flags.timeout ?? 60_000
  if (timeoutMs <= 0) throw new UsageError('invalid argument for "--timeout" flag: expected a positive duration', { flag: 'timeout' })
  const outDir = resolve(flags.out ?? '.')
  await mkdir(outDir, { recursive: true })
  const logger = createLogger({ level: flags.log_level ?? 'none', format: flags.log_format === 'json' ? 'json' : 'plain', stream: stderr })
  const key = NodeKey.generate()
  const chainId = flags['chain-id'] ?? (await discoverChainId(seeds, key))
  const progress = new ProgressLine(stderr)
  const result = await crawlNetwork({ seeds, chainId, maxNodes, timeoutMs, nodeKey: key, logger, signal, onProgress: (p) => progress.update(p) })
  progress.done()
  const nodesFile = join(outDir, 'nodes.json')
  const reportFile = join(outDir, 'report.html')
  await writeAtomically(nodesFile, `${JSON.stringify(result, null, 2)}\n`)
  await writeAtomically(reportFile, renderReportHtml(result))
  const reachable = result.nodes.filter((n) => n.reachable === true).length
  stdout.write(
    `crawled ${chainId}: ${result.nodes.length} nodes (${reachable} reachable) in ${(result.elapsedMs / 1000).toFixed(1)} s, ended: ${result.end}\n` +
      `wrote ${nodesFile}\nwrote ${reportFile}\n`
  )
  return 0
}
