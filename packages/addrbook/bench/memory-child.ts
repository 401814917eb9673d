/*
 * Loads one address book file in a fresh process and prints, as JSON, the
 * heap and RSS growth that holding it costs (run by run.ts).
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { AddrBook } from '@comet-p2p/addrbook'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const MB = 1024 * 1024

const file = process.argv[2]
if (file === undefined) throw new Error('usage: memory-child.ts <addrbook.json>')
// Warm up the module graph so that only the book itself is measured.
await new AddrBook().start()
gc()
const before = process.memoryUsage()
const book = new AddrBook({ filePath: file })
await book.start()
gc()
const after = process.memoryUsage()
process.stdout.write(
  JSON.stringify({ entries: book.size(), heapMB: (after.heapUsed - before.heapUsed) / MB, rssMB: (after.rss - before.rss) / MB, totalRssMB: after.rss / MB }) + '\n'
)
await book.stop()
