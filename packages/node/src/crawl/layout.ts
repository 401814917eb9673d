/**
 * Positions for the crawl graph, computed once when the report is written
 * (Fruchterman–Reingold force layout with gravity, deterministic), so the
 * report shows the graph without running any layout in the browser.
 */

/** A point in the graph's coordinate space. */
export interface Point {
  x: number
  y: number
}

/** Options of {@link layoutGraph}. */
export interface LayoutOptions {
  width: number
  height: number
  /** Space kept free along the edges. */
  margin: number
  /** Default: fewer for large graphs (the cost grows with the square of the nodes). */
  iterations?: number | undefined
}

/** A small deterministic PRNG (mulberry32), so the same crawl draws the same picture. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Places `count` nodes joined by `edges` (index pairs) inside
 * `width` × `height`, away from the margin. Connected nodes pull together,
 * all nodes push apart, and a weak gravity keeps loose ones in view.
 */
export function layoutGraph(count: number, edges: readonly (readonly [number, number])[], options: LayoutOptions): Point[] {
  const { width, height, margin } = options
  if (count === 0) return []
  if (count === 1) return [{ x: width / 2, y: height / 2 }]
  const random = prng(count * 7919 + edges.length)
  const cx = width / 2
  const cy = height / 2
  const radius = Math.min(width, height) / 3
  const pos: Point[] = Array.from({ length: count }, (_, i) => {
    const angle = (2 * Math.PI * i) / count
    return { x: cx + radius * Math.cos(angle) + random() - 0.5, y: cy + radius * Math.sin(angle) + random() - 0.5 }
  })
  const k = Math.sqrt((width * height) / count) * 0.75
  const iterations = options.iterations ?? Math.max(30, Math.min(300, Math.floor(3_000_000 / (count * count))))
  let temperature = Math.min(width, height) / 8
  const cooling = temperature / (iterations + 1)
  const dx = new Float64Array(count)
  const dy = new Float64Array(count)
  for (let step = 0; step < iterations; step++) {
    dx.fill(0)
    dy.fill(0)
    for (let i = 0; i < count; i++) {
      const a = pos[i]!
      for (let j = i + 1; j < count; j++) {
        const b = pos[j]!
        let ddx = a.x - b.x
        let ddy = a.y - b.y
        let dist = Math.hypot(ddx, ddy)
        if (dist < 0.01) {
          ddx = random() - 0.5
          ddy = random() - 0.5
          dist = 0.01
        }
        const force = (k * k) / dist
        const fx = (ddx / dist) * force
        const fy = (ddy / dist) * force
        dx[i]! += fx
        dy[i]! += fy
        dx[j]! -= fx
        dy[j]! -= fy
      }
    }
    for (const [from, to] of edges) {
      const a = pos[from]!
      const b = pos[to]!
      const ddx = a.x - b.x
      const ddy = a.y - b.y
      const dist = Math.max(Math.hypot(ddx, ddy), 0.01)
      const force = (dist * dist) / k
      const fx = (ddx / dist) * force
      const fy = (ddy / dist) * force
      dx[from]! -= fx
      dy[from]! -= fy
      dx[to]! += fx
      dy[to]! += fy
    }
    for (let i = 0; i < count; i++) {
      const p = pos[i]!
      dx[i]! += (cx - p.x) * 0.05 * (k / 10)
      dy[i]! += (cy - p.y) * 0.05 * (k / 10)
      const length = Math.max(Math.hypot(dx[i]!, dy[i]!), 0.01)
      const move = Math.min(length, temperature)
      p.x += (dx[i]! / length) * move
      p.y += (dy[i]! / length) * move
    }
    temperature = Math.max(temperature - cooling, 0.5)
  }
  return fit(pos, width, height, margin)
}

/** Scales and moves the points to fill the box inside the margin, keeping proportions. */
function fit(pos: Point[], width: number, height: number, margin: number): Point[] {
  const xs = pos.map((p) => p.x)
  const ys = pos.map((p) => p.y)
  const minX = Math.min(...xs)
  const minY = Math.min(...ys)
  const spanX = Math.max(Math.max(...xs) - minX, 1)
  const spanY = Math.max(Math.max(...ys) - minY, 1)
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY)
  const offsetX = (width - spanX * scale) / 2
  const offsetY = (height - spanY * scale) / 2
  return pos.map((p) => ({ x: offsetX + (p.x - minX) * scale, y: offsetY + (p.y - minY) * scale }))
}
