/**
 * A small, dependency-free parser for `comet-p2p <command> [flags]`, with
 * the conventions of the reference CLI (cobra and pflag): `--flag=value` or
 * `--flag value`; booleans as `--flag`, `--flag=true` or `--flag=false` but
 * never `--flag false`; flags before or after the command; `--` ends the
 * flags; the last occurrence of a flag wins.
 */
import { parseGoDuration } from '../config/duration.js'
import { UsageError } from './args-errors.js'
import { CLI_COMMANDS, CLI_FLAGS, commandAccepts, flagSpec, type CommandName, type FlagName, type ParsedFlags } from './args-spec.js'

/** The result of {@link parseArgs}. */
export interface ParsedArgs {
  /** The command, or undefined when none was given. */
  command: CommandName | undefined
  /** Flag values, by flag name. */
  flags: ParsedFlags
  /** Arguments after the command that are not flags (only `help` takes one: a command name). */
  positionals: string[]
}

/** Go's `strconv.ParseBool`, which pflag uses for `--flag=value`. */
const BOOL_VALUES: ReadonlyMap<string, boolean> = new Map([
  ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((s) => [s, true] as const),
  ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((s) => [s, false] as const)
])

function normalise(name: string): string {
  return name.toLowerCase().replace(/-/g, '_')
}

function unknownFlag(name: string): UsageError {
  const match = Object.keys(CLI_FLAGS).find((known) => normalise(known) === normalise(name))
  const hint = match === undefined ? '' : ` (did you mean --${match}?)`
  return new UsageError(`unknown flag: --${name}${hint}`, { flag: name })
}

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(CLI_COMMANDS, name)
}

function convert(name: FlagName, raw: string): string | number {
  const { kind } = CLI_FLAGS[name]
  if (kind === 'integer') {
    if (!/^[+-]?[0-9]+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      throw new UsageError(`invalid argument ${JSON.stringify(raw)} for "--${name}" flag: expected an integer`, { flag: name })
    }
    return Number(raw)
  }
  if (kind === 'duration') {
    // A bare number is seconds (`--timeout 30`); otherwise Go duration text (`30s`, `5m`).
    if (/^[0-9]+(\.[0-9]+)?$/.test(raw)) return Number(raw) * 1000
    try {
      return parseGoDuration(raw)
    } catch (err) {
      throw new UsageError(`invalid argument ${JSON.stringify(raw)} for "--${name}" flag: expected seconds or a duration such as 30s or 5m`, {
        flag: name,
        cause: err
      })
    }
  }
  return raw
}

type Setter = (flags: Record<string, unknown>) => void

/**
 * Parses command-line arguments (without the `node` and script paths, i.e.
 * `process.argv.slice(2)`). Throws a {@link UsageError} for an unknown
 * command or flag, a flag the command does not take, a missing or malformed
 * value, or an unexpected argument (such as the `false` of `--p2p.pex false`).
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const seen: { name: FlagName; set: Setter }[] = []
  const words: { word: string; afterBoolean: string | undefined }[] = []
  let previousBoolean: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? ''
    if (token === '--') {
      for (const word of argv.slice(i + 1)) words.push({ word, afterBoolean: undefined })
      break
    }
    if (token.startsWith('--')) {
      const body = token.slice(2)
      const eq = body.indexOf('=')
      const name = eq < 0 ? body : body.slice(0, eq)
      const inline = eq < 0 ? undefined : body.slice(eq + 1)
      if (name === '' || name.startsWith('-')) throw new UsageError(`bad flag syntax: ${token}`)
      const spec = flagSpec(name)
      if (spec === undefined) throw unknownFlag(name)
      const flag = name as FlagName
      previousBoolean = undefined
      if (spec.kind === 'boolean') {
        const value = inline === undefined ? true : BOOL_VALUES.get(inline)
        if (value === undefined) {
          throw new UsageError(`invalid argument ${JSON.stringify(inline)} for "--${name}" flag: expected true or false`, { flag: name })
        }
        if (inline === undefined) previousBoolean = name
        seen.push({ name: flag, set: (flags) => (flags[flag] = value) })
        continue
      }
      let raw = inline
      if (raw === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`, { flag: name })
        raw = argv[++i] ?? ''
      }
      const value = convert(flag, raw)
      seen.push({ name: flag, set: (flags) => (flags[flag] = value) })
      continue
    }
    if (token.startsWith('-') && token.length > 1) {
      previousBoolean = undefined
      if (token === '-h') {
        seen.push({ name: 'help', set: (flags) => (flags.help = true) })
        continue
      }
      throw new UsageError(`unknown shorthand flag: ${JSON.stringify(token.slice(1, 2))} in ${token}`, { flag: token })
    }
    words.push({ word: token, afterBoolean: previousBoolean })
    previousBoolean = undefined
  }

  const [first, ...rest] = words
  let command: CommandName | undefined
  if (first !== undefined) {
    if (!isCommand(first.word)) {
      const hint = first.afterBoolean === undefined ? '' : ` (boolean flags take a value only as --${first.afterBoolean}=${first.word})`
      throw new UsageError(`unknown command ${JSON.stringify(first.word)} for "comet-p2p"${hint}`)
    }
    command = first.word
  }
  const positionals = rest.map((w) => w.word)
  const allowed = command === 'help' ? 1 : 0
  const extra = rest[allowed]
  if (extra !== undefined) {
    const hint = extra.afterBoolean === undefined ? '' : ` (boolean flags take a value only as --${extra.afterBoolean}=${extra.word})`
    throw new UsageError(`unexpected argument ${JSON.stringify(extra.word)}${hint}`)
  }
  if (command === 'help' && positionals[0] !== undefined && !isCommand(positionals[0])) {
    throw new UsageError(`unknown help topic ${JSON.stringify(positionals[0])}`)
  }

  const flags: ParsedFlags = {}
  for (const { name, set } of seen) {
    if (!commandAccepts(command, name)) throw new UsageError(`unknown flag: --${name} (not a flag of "${command}")`, { flag: name })
    set(flags)
  }
  return { command, flags, positionals }
}
