/**
 * Reading and writing `config.toml` in CometBFT's layout (v0.34–v0.38).
 * Only the keys in `CONFIG_KEYS` are read; every other key and section of a
 * CometBFT file is ignored. Written files hold those keys only, with the
 * reference names, sections and TOML types, so CometBFT can read them too
 * (it uses its defaults for everything else).
 */
import { parse, TomlError } from 'smol-toml'
import { InvalidArgumentError } from '@comet-p2p/types'
import { formatGoDuration } from './duration.js'
import { ConfigError } from './errors.js'
import { CONFIG_KEYS, holderOf, keyPath, type ConfigKeySpec } from './schema.js'
import { convertTomlValue, tomlString } from './toml-values.js'
import { defaultNodeConfig, type NodeConfig } from './types.js'

/** Options of {@link parseConfigToml}. */
export interface ParseConfigTomlOptions {
  /** The home directory, stored in the result's `home`. */
  home: string
  /** The file the text comes from, named in errors. */
  file?: string | undefined
}

type Table = ReadonlyMap<string, unknown>

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

/** The keys of a table lower-cased: CometBFT (viper) matches keys regardless of case. */
function lowerKeys(table: Record<string, unknown>): Table {
  const out = new Map<string, unknown>()
  for (const [key, value] of Object.entries(table)) out.set(key.toLowerCase(), value)
  return out
}

function parseDocument(text: string, file: string | undefined): Record<string, unknown> {
  try {
    return parse(text, { integersAsBigInt: 'asNeeded' })
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = (err.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '')
      throw new ConfigError(`invalid TOML at line ${err.line}, column ${err.column}: ${reason}`, { file, cause: err })
    }
    throw new ConfigError(`cannot parse TOML: ${(err as Error).message}`, { file, cause: err })
  }
}

/**
 * Reads the text of a `config.toml` (as written by CometBFT v0.34–v0.38 or
 * by {@link formatConfigToml}) into a {@link NodeConfig}: keys absent from
 * the text keep the reference defaults; unknown keys and sections are
 * ignored; key case does not matter. Values of the wrong type throw a
 * {@link ConfigError} naming the key; ranges and addresses are checked by
 * `validateNodeConfig`, not here. `chainId` is left unset.
 */
export function parseConfigToml(text: string, options: ParseConfigTomlOptions): NodeConfig {
  const { file } = options
  const root = lowerKeys(parseDocument(text, file))
  const config = defaultNodeConfig(options.home)
  const sections = new Map<string, Table>([['', root]])
  for (const section of ['p2p', 'instrumentation']) {
    const value = root.get(section)
    if (value === undefined) continue
    if (!isTable(value)) throw new ConfigError(`${section} must be a table ([${section}])`, { key: section, file })
    sections.set(section, lowerKeys(value))
  }
  for (const spec of CONFIG_KEYS) {
    const table = sections.get(spec.section)
    if (table === undefined || !table.has(spec.key)) continue
    const converted = convertTomlValue(spec.kind, table.get(spec.key))
    const key = keyPath(spec)
    if (!converted.ok) throw new ConfigError(`${key} ${converted.problem}`, { key, file })
    holderOf(config, spec)[spec.field] = converted.value
  }
  return config
}

function formatValue(spec: ConfigKeySpec, value: unknown): string {
  const key = keyPath(spec)
  switch (spec.kind) {
    case 'string':
      if (typeof value === 'string') return tomlString(value)
      break
    case 'list':
      if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return tomlString(value.join(','))
      break
    case 'bool':
      if (typeof value === 'boolean') return String(value)
      break
    case 'int':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
      break
    case 'duration':
      if (typeof value === 'number') {
        try {
          return tomlString(formatGoDuration(value))
        } catch (err) {
          if (err instanceof InvalidArgumentError) throw new ConfigError(`${key} cannot be written: ${err.message}`, { key, cause: err })
          throw err
        }
      }
      break
  }
  throw new ConfigError(`${key} cannot be written as a TOML ${spec.kind}: ${String(value)}`, { key })
}

const HEADER = [
  '# Configuration of a comet-p2p node.',
  '#',
  "# The layout and key names are those of CometBFT's config.toml, so a CometBFT",
  '# node (v0.34 to v0.38) can read this file; it uses its own defaults for the',
  '# keys that are not here. Durations are Go durations ("100ms", "1m30s").',
  '# Relative paths are relative to the home directory.',
  ''
]

function banner(title: string): string[] {
  const rule = '#'.repeat(71)
  return [rule, `###${' '.repeat(20)}${title.padEnd(45)}###`, rule]
}

const SECTION_TITLES: Readonly<Record<string, readonly string[]>> = {
  '': banner('Base configuration'),
  p2p: banner('Peer-to-peer networking'),
  instrumentation: banner('Metrics')
}

/**
 * Renders `config` as a commented `config.toml` in the reference layout:
 * the base keys, then `[p2p]` and `[instrumentation]`, with the reference
 * key names and TOML types (lists comma-separated in one string, durations as
 * Go duration strings). `home` and `chainId` are not part of the file. A
 * value that cannot be written throws a {@link ConfigError}.
 */
export function formatConfigToml(config: NodeConfig): string {
  const lines = [...HEADER]
  let section: string | undefined
  for (const spec of CONFIG_KEYS) {
    if (spec.section !== section) {
      section = spec.section
      if (lines.length > HEADER.length) lines.push('')
      lines.push(...(SECTION_TITLES[section] ?? []))
      if (section !== '') lines.push(`[${section}]`)
      lines.push('')
    } else {
      lines.push('')
    }
    for (const comment of spec.comment) lines.push(`# ${comment}`)
    lines.push(`${spec.key} = ${formatValue(spec, holderOf(config, spec)[spec.field])}`)
  }
  lines.push('')
  return lines.join('\n')
}
