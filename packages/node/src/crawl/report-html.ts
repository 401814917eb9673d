/**
 * `report.html`: one self-contained page (inline SVG, CSS and vanilla JS,
 * no external resources, a CSP that forbids loading any) showing the crawl:
 * counts, the who-told-whom graph with every node, versions, and a table of
 * nodes. Everything a peer sent is escaped: monikers and versions are
 * untrusted text.
 */
import { layoutGraph } from './layout.js'
import { REPORT_CSS, REPORT_JS } from './report-assets.js'
import type { CrawledNode, CrawlResult } from './types.js'

const WIDTH = 1000
const HEIGHT = 700
/** Up to this many nodes, names are written next to the dots. */
const MAX_LABELS = 80

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text safe inside HTML or SVG elements and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
}

/** JSON safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/** `seed`, `reachable`, `unreachable` or `unknown` (not dialed). */
export function statusOf(node: CrawledNode): 'seed' | 'reachable' | 'unreachable' | 'unknown' {
  if (node.seed) return 'seed'
  if (node.reachable === true) return 'reachable'
  if (node.reachable === false) return 'unreachable'
  return 'unknown'
}

function label(node: CrawledNode): string {
  return node.nodeInfo?.moniker ?? node.id.slice(0, 8)
}

/** Who-told-whom edges as index pairs, deduplicated. */
function edgesOf(nodes: readonly CrawledNode[]): [number, number][] {
  const index = new Map(nodes.map((n, i) => [n.id, i]))
  const edges: [number, number][] = []
  nodes.forEach((node, to) => {
    for (const source of node.sources) {
      const from = index.get(source)
      if (from !== undefined && from !== to) edges.push([from, to])
    }
  })
  return edges
}

function graphSvg(result: CrawlResult): string {
  const { nodes } = result
  const edges = edgesOf(nodes)
  const pos = layoutGraph(nodes.length, edges, { width: WIDTH, height: HEIGHT, margin: 40 })
  const r = nodes.length > 300 ? 4 : 7
  const lines = edges.map(([from, to]) => {
    const a = pos[from]!
    const b = pos[to]!
    return `<line class="edge" data-from="${escapeHtml(nodes[from]!.id)}" data-to="${escapeHtml(nodes[to]!.id)}" x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${b.x.toFixed(1)}" y2="${b.y.toFixed(1)}" marker-end="url(#arrow)"/>`
  })
  const dots = nodes.map((node, i) => {
    const p = pos[i]!
    const name = escapeHtml(label(node))
    const text = nodes.length <= MAX_LABELS ? `<text x="${r + 3}" y="4">${name}</text>` : ''
    const title = `<title>${name} ${escapeHtml(node.id)} (${statusOf(node)})</title>`
    return `<g class="node ${statusOf(node)}" data-node-id="${escapeHtml(node.id)}" tabindex="0" transform="translate(${p.x.toFixed(1)} ${p.y.toFixed(1)})">${title}<circle r="${r}"/>${text}</g>`
  })
  return [
    `<svg id="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Network graph: ${nodes.length} nodes, an arrow from each node to the nodes it told us about">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="${r + 9}" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="currentColor" opacity="0.5"/></marker></defs>`,
    `<g class="edges">${lines.join('')}</g>`,
    `<g class="nodes">${dots.join('')}</g>`,
    '</svg>'
  ].join('\n')
}

function countBy(nodes: readonly CrawledNode[], key: (n: CrawledNode) => string | undefined): [string, number][] {
  const counts = new Map<string, number>()
  for (const node of nodes) {
    const k = key(node)
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

function countTable(title: string, rows: [string, number][]): string {
  const body = rows.length === 0 ? '<tr><td colspan="2" class="muted">none reached</td></tr>' : rows.map(([k, n]) => `<tr><td><code>${escapeHtml(k)}</code></td><td>${n}</td></tr>`).join('')
  return `<div><h2>${escapeHtml(title)}</h2><table><thead><tr><th>${escapeHtml(title.replace(/s$/, ''))}</th><th>nodes</th></tr></thead><tbody>${body}</tbody></table></div>`
}

function nodeRows(result: CrawlResult): string {
  const byId = new Map(result.nodes.map((n) => [n.id, n]))
  return result.nodes
    .map((n) => {
      const told = n.sources.map((s) => label(byId.get(s) ?? ({ id: s } as CrawledNode))).join(', ')
      const status = statusOf(n)
      const cells = [
        escapeHtml(label(n)),
        `<code>${escapeHtml(n.id)}</code>`,
        `<code>${escapeHtml(n.dialedAddress ?? n.addresses[0] ?? '')}</code>`,
        `<span class="pill ${status}">${status === 'unknown' ? 'not dialed' : status}</span>`,
        escapeHtml(n.nodeInfo?.version ?? ''),
        escapeHtml(told),
        n.addressesReported === null ? '' : String(n.addressesReported),
        `<span class="muted">${escapeHtml(n.error ?? '')}</span>`
      ]
      return `<tr class="pick" data-id="${escapeHtml(n.id)}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`
    })
    .join('\n')
}

/** The report page for `result`. */
export function renderReportHtml(result: CrawlResult): string {
  const nodes = result.nodes
  const count = (status: string): number => nodes.filter((n) => statusOf(n) === status).length
  const reached = nodes.filter((n) => n.reachable === true).length
  const edges = nodes.reduce((sum, n) => sum + n.sources.length, 0)
  const cards: [string, number][] = [
    ['nodes', nodes.length],
    ['reachable', reached],
    ['unreachable', nodes.filter((n) => n.reachable === false).length],
    ['not dialed', count('unknown')],
    ['seeds', nodes.filter((n) => n.seed).length],
    ['told-of links', edges]
  ]
  const chain = escapeHtml(result.chainId)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>comet-p2p crawl of ${chain}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>Crawl of <code>${chain}</code></h1>
<div class="muted">${escapeHtml(result.startedAt)} · ${(result.elapsedMs / 1000).toFixed(1)} s · ended: ${escapeHtml(result.end)}${result.maxNodesReached ? ` (stopped dialing at ${result.maxNodes} nodes)` : ''} · seeds: <code>${escapeHtml(result.seeds.join(', '))}</code> · comet-p2p ${escapeHtml(result.crawler.version)}</div>
<div class="cards">${cards.map(([k, v]) => `<div class="card"><b>${v}</b>${escapeHtml(k)}</div>`).join('')}</div>
</header>
<main class="layout">
<section class="graph-panel">
<div class="legend"><span><i style="background:var(--seed)"></i>seed</span><span><i style="background:var(--ok)"></i>reachable</span><span><i style="background:var(--bad)"></i>unreachable</span><span><i style="background:var(--unknown)"></i>not dialed</span><span class="muted">arrow: A told us about B · click a node · wheel to zoom · drag to pan</span></div>
${graphSvg(result)}
</section>
<aside id="details"><span class="muted">Click a node or a row to see its details.</span></aside>
</main>
<section class="cards">
${countTable('Versions', countBy(nodes, (n) => n.nodeInfo?.version || (n.nodeInfo === null ? undefined : '(empty)')))}
${countTable('Protocols', countBy(nodes, (n) => (n.nodeInfo === null ? undefined : `p2p ${n.nodeInfo.protocolVersion.p2p} / block ${n.nodeInfo.protocolVersion.block} / app ${n.nodeInfo.protocolVersion.app}`)))}
${countTable('Networks', countBy(nodes, (n) => n.nodeInfo?.network))}
</section>
<section>
<h2>Nodes</h2>
<p><input type="search" id="filter" placeholder="Filter by name, ID, address, version..." aria-label="Filter nodes"></p>
<table><thead><tr><th>moniker</th><th>ID</th><th>address</th><th>status</th><th>version</th><th>told by</th><th>addresses sent</th><th>note</th></tr></thead>
<tbody>
${nodeRows(result)}
</tbody></table>
</section>
<footer class="muted">Written by <code>comet-p2p crawl</code>. The data is also in <code>nodes.json</code>.</footer>
<script type="application/json" id="crawl-data">${scriptJson(result)}</script>
<script>${REPORT_JS}</script>
</body>
</html>
`
}
