/*
 * Memory benchmark peers (run by run.ts in its own process): N switches,
 * each listening on its own 127.0.0.1 port, so that the measured process can
 * hold N outbound peers with distinct node IDs. Prints one "PEER <addr>" line
 * per switch, then "READY".
 */
import { benchSwitch } from './common.js'

const count = Number(process.argv[2] ?? 500)
for (let i = 0; i < count; i++) {
  const sw = benchSwitch()
  await sw.transport.listen({ host: '127.0.0.1', port: 0 })
  await sw.start()
  process.stdout.write(`PEER ${sw.netAddress()!.toString()}\n`)
}
process.stdout.write('READY\n')
