import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** What a README example printed. */
export interface ReadmeExampleResult {
  stdout: string
  stderr: string
}

/**
 * Runs the first ```ts code block of `<packageDir>/README.md` as a program
 * (with tsx, from inside the package so that `@comet-p2p/*` imports resolve to
 * the built packages, as they would for a user). Rejects if it exits non-zero
 * or runs longer than `timeoutMs`, so README examples cannot silently rot.
 */
export async function runReadmeExample(packageDir: string, timeoutMs = 30_000): Promise<ReadmeExampleResult> {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
  const match = /```ts\n([\s\S]*?)```/.exec(readme)
  if (match === null) throw new Error(`${packageDir}/README.md has no \`\`\`ts example`)
  const file = join(packageDir, `.readme-example-${process.pid}.mts`)
  await writeFile(file, match[1] ?? '')
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file], {
      cwd: packageDir,
      timeout: timeoutMs,
      killSignal: 'SIGKILL'
    })
    return { stdout, stderr }
  } finally {
    await rm(file, { force: true })
  }
}
