/** What the page is rendered with. */
export interface PageOptions {
  title: string;
  /** Whether the server takes POST /reload and /scale (the page then says so; it never sends them). */
  actions: boolean;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

/**
 * The live page: one HTML document with its style and script inline (no CDN, works offline). It reads
 * `/events` (server-sent events: the history once, then each sample and event) and draws a table of slots
 * and four SVG charts, with restarts and reloads marked.
 */
export function renderPage(options: PageOptions): string {
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · status</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${title}</h1>
  <div id="summary" data-testid="summary">connecting…</div>
</header>
<main>
  <section class="card">
    <h2>Workers</h2>
    <div class="scroll">
    <table id="slots">
      <thead><tr><th>slot</th><th>pid</th><th>state</th><th>uptime</th><th>restarts</th><th>CPU</th><th>memory</th><th>conns</th></tr></thead>
      <tbody></tbody>
    </table>
    </div>
  </section>
  <section class="charts">
    ${chart('connections', 'New connections /s', '')}
    ${chart('cpu', 'CPU', '%')}
    ${chart('memory', 'Memory (RSS)', 'MiB')}
    ${chart('loop', 'Event-loop delay p99', 'ms')}
  </section>
  <p class="legend"><span class="mark restart"></span> restart <span class="mark reload"></span> reload
  <span class="mark warn"></span> hang or memory limit · lines are slots ·
  <a href="/metrics">/metrics</a> · <a href="/status.json">/status.json</a>${options.actions ? ' · POST /reload, /scale need the token' : ''}</p>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function chart(name: string, label: string, unit: string): string {
  return `<figure class="card chart">
      <figcaption>${label} <span class="now" id="now-${name}"></span></figcaption>
      <svg data-chart="${name}" data-unit="${unit}" viewBox="0 0 300 100" preserveAspectRatio="none" role="img" aria-label="${label}">
        <g class="grid"><line x1="0" y1="25" x2="300" y2="25"/><line x1="0" y1="50" x2="300" y2="50"/><line x1="0" y1="75" x2="300" y2="75"/></g>
        <g class="marks"></g><g class="lines"></g>
      </svg>
      <div class="axis"><span class="max"></span><span class="span"></span></div>
    </figure>`;
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #fff; --fg: #1d232b; --muted: #65707d; --line: #e3e6ea;
  --ok: #1a7f37; --bad: #cf222e; --warn: #bf8700; --blue: #0969da; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --card: #161b22; --fg: #e6edf3; --muted: #8b949e; --line: #30363d; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--fg); }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .5rem 1rem; padding: .75rem 1rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.15rem; margin: 0; }
h2 { font-size: .95rem; margin: 0 0 .5rem; }
#summary { color: var(--muted); }
main { padding: .75rem; display: grid; grid-template-columns: minmax(0, 1fr); gap: .75rem; max-width: 1200px; margin: 0 auto; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .75rem; margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: .3rem .5rem; border-bottom: 1px solid var(--line); white-space: nowrap; }
th:nth-child(-n+3), td:nth-child(-n+3) { text-align: left; }
th { color: var(--muted); font-weight: 600; font-size: .8rem; }
.state { display: inline-block; padding: 0 .4rem; border-radius: 999px; font-size: .8rem; border: 1px solid currentColor; }
.state.ready { color: var(--ok); } .state.restarting, .state.failed { color: var(--bad); }
.state.starting, .state.stopping, .state.draining { color: var(--warn); }
tr.restarted td { animation: flash 3s ease-out; }
@keyframes flash { from { background: rgba(207, 34, 46, .25); } to { background: transparent; } }
.dot { display: inline-block; width: .6rem; height: .6rem; border-radius: 50%; margin-right: .35rem; }
.charts { display: grid; gap: .75rem; grid-template-columns: repeat(auto-fit, minmax(min(260px, 100%), 1fr)); }
figcaption { font-weight: 600; font-size: .9rem; margin-bottom: .35rem; display: flex; justify-content: space-between; gap: .5rem; }
.now { color: var(--muted); font-weight: 400; font-variant-numeric: tabular-nums; }
svg { width: 100%; height: 120px; display: block; background: var(--bg); border-radius: 4px; }
.grid line { stroke: var(--line); stroke-width: 1; vector-effect: non-scaling-stroke; }
.lines polyline { fill: none; stroke-width: 2; vector-effect: non-scaling-stroke; stroke-linejoin: round; }
.marks line { stroke-width: 1.5; vector-effect: non-scaling-stroke; stroke-dasharray: 3 3; }
.marks .restart, .mark.restart { stroke: var(--bad); background: var(--bad); }
.marks .reload, .mark.reload { stroke: var(--blue); background: var(--blue); }
.marks .warn, .mark.warn { stroke: var(--warn); background: var(--warn); }
.axis { display: flex; justify-content: space-between; color: var(--muted); font-size: .75rem; margin-top: .2rem; }
.legend { color: var(--muted); font-size: .8rem; margin: 0; }
.mark { display: inline-block; width: .8rem; height: 2px; vertical-align: middle; margin-left: .5rem; }
a { color: var(--blue); }
@media (max-width: 520px) { th:nth-child(4), td:nth-child(4) { display: none; } svg { height: 100px; } }
`;

// Plain ES2017 for any browser; it reads what the server sends and draws, nothing more.
const SCRIPT = `
(function () {
  var COLORS = ['#0969da', '#1a7f37', '#cf222e', '#8250df', '#bf8700', '#1b7c83', '#e16f24', '#6e7781'];
  var history = [], events = [], interval = 1000, keep = 300, status = null, lastRestarts = {};
  var color = function (slot) { return COLORS[slot % COLORS.length]; };
  var el = function (id) { return document.getElementById(id); };
  var fmtTime = function (ms) { var s = Math.round(ms / 1000); if (s < 60) return s + 's'; if (s < 3600) return Math.floor(s / 60) + 'm' + (s % 60) + 's'; return Math.floor(s / 3600) + 'h' + Math.floor((s % 3600) / 60) + 'm'; };
  var fmt = function (v, digits) { return v === null || v === undefined ? '–' : v.toFixed(digits); };
  function pointOf(snapshot) {
    return { at: snapshot.at, workers: snapshot.workers.map(function (w) {
      var s = w.sample;
      return { slot: w.slot, pid: w.pid, up: w.up, cpuPercent: w.cpuPercent, rss: s ? s.rss : null, heapUsed: s ? s.heapUsed : null,
        loopDelayP99: s ? s.loopDelayP99 : null, loopUtilization: s ? s.loopUtilization : null, connections: w.connections, handed: w.handed };
    }) };
  }
  // Per slot, the value of one figure at each point (a slot keeps its line across restarts).
  function series(pick) {
    var bySlot = {};
    history.forEach(function (point, i) {
      var seen = {};
      point.workers.forEach(function (w) {
        if (seen[w.slot]) return; seen[w.slot] = true;
        var v = pick(w, i, point);
        if (v === null || v === undefined || !isFinite(v)) return;
        (bySlot[w.slot] = bySlot[w.slot] || []).push([point.at, v]);
      });
    });
    return bySlot;
  }
  function rate(w, i, point) {
    if (i === 0 || w.handed === null) return null;
    var before = history[i - 1], prev = null;
    before.workers.forEach(function (p) { if (p.slot === w.slot) prev = p; });
    var dt = (point.at - before.at) / 1000;
    if (dt <= 0) return null;
    var base = prev && prev.pid === w.pid && prev.handed !== null ? prev.handed : 0;
    return Math.max(0, (w.handed - base) / dt);
  }
  function draw(name, bySlot, scale, digits, combine) {
    var svg = document.querySelector('svg[data-chart="' + name + '"]');
    var lines = svg.querySelector('.lines'), marks = svg.querySelector('.marks');
    var end = history.length ? history[history.length - 1].at : Date.now();
    // The window grows with the data up to the history's length, so a young cluster's lines are readable.
    var first = history.length ? history[0].at : end;
    var span = Math.min(keep * interval, Math.max(end - first, 30 * interval)), start = end - span;
    var max = 0, last = 0;
    Object.keys(bySlot).forEach(function (slot) { bySlot[slot].forEach(function (p) { if (p[1] * scale > max) max = p[1] * scale; }); });
    var top = max > 0 ? max * 1.15 : 1;
    var x = function (t) { return ((t - start) / span) * 300; };
    var y = function (v) { return 100 - (v * scale / top) * 100; };
    lines.innerHTML = '';
    Object.keys(bySlot).forEach(function (slot) {
      var pts = bySlot[slot].filter(function (p) { return p[0] >= start; });
      if (!pts.length) return;
      var line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
      line.setAttribute('points', pts.map(function (p) { return x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1); }).join(' '));
      line.setAttribute('stroke', color(Number(slot)));
      line.setAttribute('data-slot', slot);
      lines.appendChild(line);
      var v = pts[pts.length - 1][1] * scale;
      last = combine === 'max' ? Math.max(last, v) : last + v;
    });
    marks.innerHTML = '';
    events.forEach(function (e) {
      var kind = e.type === 'restart' ? 'restart' : (e.type === 'reloadStart' || e.type === 'reloadEnd') ? 'reload'
        : (e.type === 'unresponsive' || e.type === 'memoryLimit') ? 'warn' : null;
      if (!kind || e.at < start) return;
      var line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      var at = x(e.at).toFixed(1);
      line.setAttribute('x1', at); line.setAttribute('x2', at); line.setAttribute('y1', '0'); line.setAttribute('y2', '100');
      line.setAttribute('class', kind);
      var tip = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      tip.textContent = e.type + (e.slot !== undefined ? ' slot ' + e.slot : '') + (e.detail ? ' (' + e.detail + ')' : '');
      line.appendChild(tip);
      marks.appendChild(line);
    });
    svg.setAttribute('data-max', String(max));
    svg.setAttribute('data-last', String(last));
    svg.setAttribute('data-points', String(history.length));
    svg.parentNode.querySelector('.max').textContent = 'max ' + fmt(max, digits) + (svg.getAttribute('data-unit') ? ' ' + svg.getAttribute('data-unit') : '');
    svg.parentNode.querySelector('.span').textContent = 'last ' + fmtTime(span);
    el('now-' + name).textContent = (combine === 'max' ? 'worst ' : 'total ') + fmt(last, digits) + (svg.getAttribute('data-unit') ? ' ' + svg.getAttribute('data-unit') : '');
  }
  function render() {
    if (!status) return;
    var snapshot = status.metrics || { slots: [], workers: [] };
    var bySlot = {};
    snapshot.workers.forEach(function (w) { if (!bySlot[w.slot] || w.pid === snapshot.slots.filter(function (s) { return s.slot === w.slot; }).map(function (s) { return s.pid; })[0]) bySlot[w.slot] = w; });
    var body = document.querySelector('#slots tbody');
    body.innerHTML = '';
    var slots = snapshot.slots.length ? snapshot.slots : status.slots.map(function (s) { return { slot: s.slot, state: s.state, pid: s.pid, restarts: 0, uptime: 0 }; });
    var ready = 0, conns = 0;
    slots.forEach(function (s) {
      var w = bySlot[s.slot] || {}, sample = w.sample || null;
      if (s.state === 'ready') ready++;
      conns += w.connections || 0;
      var tr = document.createElement('tr');
      tr.setAttribute('data-slot', String(s.slot));
      tr.setAttribute('data-pid', String(s.pid));
      tr.setAttribute('data-state', s.state);
      tr.setAttribute('data-restarts', String(s.restarts));
      if (lastRestarts[s.slot] !== undefined && s.restarts > lastRestarts[s.slot]) tr.className = 'restarted';
      lastRestarts[s.slot] = s.restarts;
      tr.innerHTML = '<td><span class="dot" style="background:' + color(s.slot) + '"></span>' + s.slot + '</td>' +
        '<td>' + (s.pid === null ? '–' : s.pid) + '</td>' +
        '<td><span class="state ' + s.state + '">' + s.state + '</span>' + (w.up === false && s.state === 'ready' ? ' <span title="did not answer the last sample">⚠</span>' : '') + '</td>' +
        '<td>' + fmtTime(s.uptime) + '</td>' +
        '<td>' + (s.restarts ? '↻ ' + s.restarts : '0') + '</td>' +
        '<td>' + fmt(w.cpuPercent, 1) + '%</td>' +
        '<td>' + (sample ? (sample.rss / 1048576).toFixed(0) + ' MiB' : '–') + '</td>' +
        '<td>' + (w.connections === null || w.connections === undefined ? '–' : w.connections) + '</td>';
      body.appendChild(tr);
    });
    var state = status.stopping ? 'stopping' : (status.readiness && status.readiness.ready ? 'ready' : 'not ready');
    el('summary').textContent = state + ' · ' + ready + '/' + slots.length + ' workers ready · ' + conns + ' open connections';
    el('summary').setAttribute('data-state', state);
    draw('connections', series(rate), 1, 1, 'sum');
    draw('cpu', series(function (w) { return w.cpuPercent; }), 1, 1, 'sum');
    draw('memory', series(function (w) { return w.rss; }), 1 / 1048576, 0, 'sum');
    draw('loop', series(function (w) { return w.loopDelayP99; }), 1, 1, 'max');
  }
  function connect() {
    var source = new EventSource('/events');
    source.addEventListener('hello', function (m) {
      status = JSON.parse(m.data);
      interval = status.interval || interval;
      history = (status.history || []).slice();
      keep = Math.max(history.length, Math.round(300000 / interval));
      events = (status.events || []).slice();
      render();
    });
    source.addEventListener('sample', function (m) {
      status = JSON.parse(m.data);
      if (status.metrics) history.push(pointOf(status.metrics));
      if (history.length > keep) history.splice(0, history.length - keep);
      render();
    });
    source.addEventListener('event', function (m) { events.push(JSON.parse(m.data)); if (events.length > 500) events.shift(); render(); });
    source.onerror = function () { el('summary').textContent = 'disconnected, retrying…'; el('summary').setAttribute('data-state', 'disconnected'); };
  }
  connect();
})();
`;
