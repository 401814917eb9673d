/**
 * pnpm --filter @comet-p2p/example-seed-node start -- --chain-id my-chain --home ./seed-home
 */
import { parseArgs } from 'node:util'
import { formatUserError } from '@comet-p2p/node'
import { startSeed } from './seed.js'

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    'chain-id': { type: 'string' },
    home: { type: 'string', default: './seed-home' },
    laddr: { type: 'string', default: 'tcp://0.0.0.0:26656' },
    seeds: { type: 'string', default: '' },
    private: { type: 'boolean', default: false },
    log_level: { type: 'string', default: 'info' }
  }
})

if (values['chain-id'] === undefined) {
  console.error('Error: --chain-id is required')
  process.exit(2)
}

try {
  const seed = await startSeed({
    home: values.home,
    chainId: values['chain-id'],
    laddr: values.laddr,
    seeds: values.seeds.split(',').filter((s) => s !== ''),
    private: values.private,
    logLevel: values.log_level
  })
  console.log(`seed ${seed.netAddress().toString()} running; give nodes --p2p.seeds ${seed.netAddress().toString()}`)
  const stop = (): void => void seed.stop().then(() => console.log(`stopped; ${seed.addrBook.size()} addresses kept in the address book`))
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (err) {
  console.error(`Error: ${formatUserError(err)}`)
  process.exit(1)
}
