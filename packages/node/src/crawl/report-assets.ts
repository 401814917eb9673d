/** The stylesheet and script inlined into `report.html` (no external resources). */

export const REPORT_CSS = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1d2430; --muted: #667085; --line: #d0d5dd; --card: #f6f7f9;
  --seed: #7c3aed; --ok: #16a34a; --bad: #dc2626; --unknown: #98a2b3; --edge: #98a2b380; }
@media (prefers-color-scheme: dark) { :root { --bg: #10141b; --fg: #e6e9ef; --muted: #98a2b3; --line: #2c3441; --card: #181e27; --edge: #66708560; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
header, section, main { padding: 0 24px; }
header { padding-top: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
.muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 320px; gap: 16px; margin-top: 16px; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }
.graph-panel { border: 1px solid var(--line); border-radius: 8px; background: var(--card); position: relative; }
#graph { width: 100%; height: auto; display: block; cursor: grab; user-select: none; }
#graph.dragging { cursor: grabbing; }
.edge { stroke: var(--edge); stroke-width: 1; }
.edge.hot { stroke: var(--fg); stroke-width: 1.5; }
.node circle { stroke: var(--bg); stroke-width: 1.5; cursor: pointer; }
.node text { font-size: 11px; fill: var(--fg); pointer-events: none; paint-order: stroke; stroke: var(--bg); stroke-width: 3px; }
.node.seed circle { fill: var(--seed); } .node.reachable circle { fill: var(--ok); }
.node.unreachable circle { fill: var(--bad); } .node.unknown circle { fill: var(--unknown); }
.node.selected circle { stroke: var(--fg); stroke-width: 3; }
svg.focus .node:not(.near) { opacity: 0.25; } svg.focus .edge:not(.hot) { opacity: 0.15; }
.legend { display: flex; gap: 14px; padding: 8px 12px; font-size: 12px; flex-wrap: wrap; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; vertical-align: -1px; }
#details { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; background: var(--card); align-self: start; }
#details dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 10px; margin: 8px 0 0; }
#details dt { color: var(--muted); } #details dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
tr.pick { cursor: pointer; } tr.pick:hover { background: var(--card); }
.pill { padding: 1px 7px; border-radius: 10px; font-size: 12px; color: #fff; white-space: nowrap; }
.pill.seed { background: var(--seed); } .pill.reachable { background: var(--ok); } .pill.unreachable { background: var(--bad); } .pill.unknown { background: var(--unknown); }
input[type=search] { padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); width: 280px; }
footer { padding: 24px; }
`

/**
 * Interactivity: click (or Enter) a node or a table row to select it (its
 * neighbours stay lit, its details show), wheel to zoom, drag to pan,
 * type to filter the table. Only `textContent` is used for peer data.
 */
export const REPORT_JS = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('crawl-data').textContent);
  var svg = document.getElementById('graph');
  var byId = {}; data.nodes.forEach(function (n) { byId[n.id] = n; });
  var near = {};
  function link(a, b) { (near[a] = near[a] || {})[b] = true; (near[b] = near[b] || {})[a] = true; }
  data.nodes.forEach(function (n) { n.sources.forEach(function (s) { link(s, n.id); }); });
  function status(n) { return n.seed ? 'seed' : n.reachable === true ? 'reachable' : n.reachable === false ? 'unreachable' : 'not dialed'; }
  function field(dl, name, value) {
    var dt = document.createElement('dt'); dt.textContent = name;
    var dd = document.createElement('dd'); dd.textContent = value === null || value === undefined || value === '' ? '-' : String(value);
    dl.appendChild(dt); dl.appendChild(dd);
  }
  function nameOf(id) { var n = byId[id]; return n && n.nodeInfo ? n.nodeInfo.moniker + ' (' + id.slice(0, 8) + ')' : id.slice(0, 12); }
  function select(id) {
    var n = byId[id]; if (!n) return;
    svg.classList.add('focus');
    svg.querySelectorAll('.node').forEach(function (el) {
      var nid = el.getAttribute('data-node-id');
      el.classList.toggle('near', nid === id || !!(near[id] && near[id][nid]));
      el.classList.toggle('selected', nid === id);
    });
    svg.querySelectorAll('.edge').forEach(function (el) {
      el.classList.toggle('hot', el.getAttribute('data-from') === id || el.getAttribute('data-to') === id);
    });
    var box = document.getElementById('details'); box.textContent = '';
    var h = document.createElement('h2'); h.textContent = n.nodeInfo ? n.nodeInfo.moniker : 'unknown node'; h.style.marginTop = '0'; box.appendChild(h);
    var dl = document.createElement('dl'); box.appendChild(dl);
    field(dl, 'ID', n.id); field(dl, 'status', status(n)); field(dl, 'addresses', n.addresses.join(', '));
    if (n.nodeInfo) {
      var i = n.nodeInfo;
      field(dl, 'network', i.network); field(dl, 'version', i.version);
      field(dl, 'protocol', 'p2p ' + i.protocolVersion.p2p + ', block ' + i.protocolVersion.block + ', app ' + i.protocolVersion.app);
      field(dl, 'channels', i.channels.join(' ')); field(dl, 'listen addr', i.listenAddr);
      field(dl, 'tx index', i.txIndex); field(dl, 'RPC', i.rpcAddress);
    }
    field(dl, 'told by', n.sources.map(nameOf).join(', '));
    var told = data.nodes.filter(function (m) { return m.sources.indexOf(id) >= 0; }).map(function (m) { return nameOf(m.id); });
    field(dl, 'told us of', told.join(', '));
    field(dl, 'addresses sent', n.addressesReported); field(dl, 'error', n.error);
  }
  function clear() {
    svg.classList.remove('focus');
    svg.querySelectorAll('.selected').forEach(function (el) { el.classList.remove('selected'); });
  }
  svg.querySelectorAll('.node').forEach(function (el) {
    var id = el.getAttribute('data-node-id');
    el.addEventListener('click', function (e) { e.stopPropagation(); select(id); });
    el.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(id); } });
  });
  document.querySelectorAll('tr.pick').forEach(function (row) {
    row.addEventListener('click', function () { select(row.getAttribute('data-id')); svg.scrollIntoView({ behavior: 'smooth', block: 'center' }); });
  });
  var view = svg.viewBox.baseVal; var full = { x: view.x, y: view.y, w: view.width, h: view.height };
  svg.addEventListener('wheel', function (e) {
    e.preventDefault();
    var r = svg.getBoundingClientRect(); var f = e.deltaY > 0 ? 1.15 : 1 / 1.15;
    var px = view.x + (e.clientX - r.left) / r.width * view.width, py = view.y + (e.clientY - r.top) / r.height * view.height;
    var w = Math.min(full.w * 4, Math.max(full.w / 20, view.width * f)); var h = w * full.h / full.w;
    view.x = px - (px - view.x) * w / view.width; view.y = py - (py - view.y) * h / view.height; view.width = w; view.height = h;
  }, { passive: false });
  var drag = null;
  svg.addEventListener('pointerdown', function (e) { if (e.target.closest && e.target.closest('.node')) return; drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false }; svg.classList.add('dragging'); });
  window.addEventListener('pointermove', function (e) {
    if (!drag) return; var r = svg.getBoundingClientRect();
    var mx = (e.clientX - drag.x) / r.width * view.width, my = (e.clientY - drag.y) / r.height * view.height;
    if (Math.abs(mx) + Math.abs(my) > 0.5) drag.moved = true;
    view.x = drag.vx - mx; view.y = drag.vy - my;
  });
  window.addEventListener('pointerup', function () { if (drag && !drag.moved) clear(); drag = null; svg.classList.remove('dragging'); });
  var filter = document.getElementById('filter');
  filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    document.querySelectorAll('tr.pick').forEach(function (row) { row.hidden = q !== '' && row.textContent.toLowerCase().indexOf(q) < 0; });
  });
})();
`
