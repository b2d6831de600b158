"""The style sheet and script inlined into every Gantt page.

They are kept as strings, not package data files, so that a page is complete
on its own: no CDN, no font, no request to any host. The script reads the
chart from a JSON block (see :mod:`prodsched.gantt.html`) and draws it as SVG;
it uses nothing but the browser's DOM.
"""

from __future__ import annotations

from string import Template

from prodsched.gantt.colors import DOWN_EDGE, DOWN_FILL, LATE, SETUP_EDGE, SETUP_FILL

CSS = Template("""
:root { --lane: 24px; --late: $late; font: 13px system-ui, -apple-system, "Segoe UI",
  Roboto, sans-serif; color: #222; }
body { margin: 0; padding: 12px 16px; background: #fff; }
header h1 { font-size: 18px; margin: 0 0 2px; }
header p { margin: 0 0 8px; color: #555; }
header nav a { margin-right: 12px; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 6px 0; }
.controls button { min-width: 28px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 4px 0 8px; }
.legend span { cursor: pointer; user-select: none; white-space: nowrap; }
.legend span.off { opacity: 0.35; }
.legend i { display: inline-block; width: 14px; height: 12px; margin-right: 4px;
  vertical-align: -1px; border: 1px solid #0003; }
.legend i.setup { background: repeating-linear-gradient(45deg, $setup_fill 0 3px,
  $setup_edge 3px 4px); }
.legend i.previous { background: none; border: 1px dashed #666; }
.legend i.due { width: 3px; background: #222; border: none; }
.legend i.due.late { background: var(--late); }
.legend i.down { background: repeating-linear-gradient(45deg, $down_fill 0 3px,
  $down_edge 3px 5px); }
.scroll { overflow: auto; max-height: calc(100vh - 150px); border: 1px solid #ccc; }
.grid { display: grid; grid-template-columns: max-content max-content; }
.corner { position: sticky; top: 0; left: 0; z-index: 3; background: #fff; }
.axis { position: sticky; top: 0; z-index: 2; background: #fff; display: block; }
.names { position: sticky; left: 0; z-index: 1; background: #fff;
  border-right: 1px solid #ccc; }
.names div { height: var(--lane); line-height: var(--lane); padding: 0 8px;
  white-space: nowrap; box-sizing: border-box; }
.names div:nth-child(even) { background: #f6f6f6; }
.names div.late { color: var(--late); font-weight: 600; }
.names small { font-weight: normal; margin-left: 6px; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
#body { display: block; }
rect.lane { fill: #fff; }
rect.lane.odd { fill: #f6f6f6; }
rect.lane.late { fill: #fdecec; }
line.grid { stroke: #e2e2e2; }
line.tick { stroke: #888; }
rect.bar { stroke: #0006; stroke-width: 0.5; }
rect.bar.setup { fill: url(#p-setup); stroke: $setup_edge; }
rect.bar.down { fill: url(#p-down); stroke: $down_edge; }
rect.bar.dim { opacity: 0.15; }
rect.bar.previous { fill: #8881; stroke: #666; stroke-dasharray: 4 2; opacity: 0.6; }
rect.bar:hover { stroke: #000; stroke-width: 1.5; }
text.label { pointer-events: none; }
line.due { stroke: #222; stroke-width: 2; }
line.due.late { stroke: var(--late); }
#tip { position: fixed; z-index: 10; background: #ffffff; border: 1px solid #888;
  border-radius: 4px; padding: 6px 8px; box-shadow: 0 2px 8px #0003; pointer-events: none;
  max-width: 420px; }
#tip dl { display: grid; grid-template-columns: auto auto; gap: 1px 10px; margin: 0; }
#tip dt { color: #666; }
#tip dd { margin: 0; overflow-wrap: anywhere; }
footer { color: #888; font-size: 11px; margin-top: 6px; }
""").substitute(late=LATE, setup_fill=SETUP_FILL, setup_edge=SETUP_EDGE,
               down_fill=DOWN_FILL, down_edge=DOWN_EDGE)

SCRIPT = """
(function () {
"use strict";
const D = JSON.parse(document.getElementById("gantt-data").textContent);
const LANE = 24, PAD = 3, AXIS = 38, LEFT = 10;
const LO = D.span[0], HI = D.span[1];
const NS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
const measure = document.createElement("canvas").getContext("2d");
measure.font = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
let colorBy = D.colorBy, scale = 1, hidden = new Set();

function el(tag, attrs, parent) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
const keyOf = (b) => (colorBy === "family" ? b[5] : b[4]);
const pad2 = (n) => String(n).padStart(2, "0");
function wall(t) { return new Date(D.time.originMs + (t + D.time.offsetMin) * 60000); }
function numberText(v) { return String(Math.round(v * 1e6) / 1e6); }

function ticks(pxPerUnit) {
  const want = 90 / pxPerUnit, out = [];
  if (!D.time.datetime) {
    const p = Math.pow(10, Math.floor(Math.log10(Math.max(want, 1e-9))));
    let step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= want);
    step = Math.max(step, 1);
    for (let t = Math.ceil(LO / step) * step; t <= HI; t += step) out.push([t, numberText(t), ""]);
    return out;
  }
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160];
  const step = steps.find((s) => s >= want) || 40320;
  const base = D.time.originMs / 60000 + D.time.offsetMin;
  let t = Math.ceil((base + LO) / step) * step - base;
  if (step >= 1440) {
    const days = step / 1440;
    t = Math.ceil((base + LO) / 1440) * 1440 - base;
    while (((Math.round((base + t) / 1440) - 4) % days + days) % days !== 0) t += 1440;
  }
  let lastDay = null;
  for (; t <= HI; t += step) {
    const w = wall(t), day = w.getUTCFullYear() + "-" + pad2(w.getUTCMonth() + 1) + "-" +
      pad2(w.getUTCDate());
    const dayText = DAYS[w.getUTCDay()] + " " + day.slice(5);
    if (step >= 1440) out.push([t, dayText, ""]);
    else {
      out.push([t, pad2(w.getUTCHours()) + ":" + pad2(w.getUTCMinutes()),
                day !== lastDay ? dayText : ""]);
    }
    lastDay = day;
  }
  return out;
}

function drawAxis(width, x) {
  const axis = $("axis");
  axis.replaceChildren();
  axis.setAttribute("width", width);
  axis.setAttribute("height", AXIS);
  el("line", {x1: 0, x2: width, y1: AXIS - 0.5, y2: AXIS - 0.5, class: "tick"}, axis);
  const list = ticks(scale);
  for (const [t, text, over] of list) {
    const px = x(t);
    el("line", {x1: px, x2: px, y1: AXIS - 6, y2: AXIS, class: "tick"}, axis);
    const label = el("text", {x: px + 3, y: AXIS - 9}, axis);
    label.textContent = text;
    if (over) {
      const top = el("text", {x: px + 3, y: 12, "font-weight": "600"}, axis);
      top.textContent = over;
    }
  }
  return list;
}

function render() {
  const width = Math.ceil((HI - LO) * scale) + 2 * LEFT + 40;
  const height = D.lanes.length * LANE;
  const x = (t) => LEFT + (t - LO) * scale;
  const list = drawAxis(width, x);
  const body = $("body");
  body.replaceChildren();
  body.setAttribute("width", width);
  body.setAttribute("height", height);
  const defs = el("defs", {}, body);
  const ps = el("pattern", {id: "p-setup", width: 4, height: 4, patternUnits: "userSpaceOnUse",
                            patternTransform: "rotate(45)"}, defs);
  el("rect", {width: 4, height: 4, fill: D.look.setupFill}, ps);
  el("line", {x1: 0, y1: 0, x2: 0, y2: 4, stroke: D.look.setupEdge, "stroke-width": 1.5}, ps);
  const pd = el("pattern", {id: "p-down", width: 6, height: 6, patternUnits: "userSpaceOnUse"},
                defs);
  el("rect", {width: 6, height: 6, fill: D.look.downFill}, pd);
  el("path", {d: "M0,0L6,6M6,0L0,6", stroke: D.look.downEdge, "stroke-width": 1}, pd);
  D.lanes.forEach((lane, i) => {
    el("rect", {x: 0, y: i * LANE, width: width, height: LANE,
                class: lane[2] ? "lane late" : (i % 2 ? "lane odd" : "lane")}, body);
  });
  for (const [t] of list) el("line", {x1: x(t), x2: x(t), y1: 0, y2: height, class: "grid"}, body);
  const colors = D.colors[colorBy];
  const lastLabelEnd = {};
  D.bars.forEach((b, i) => {
    const x0 = x(b[2]), w = Math.max(1, (b[3] - b[2]) * scale), y = b[0] * LANE + PAD;
    const r = el("rect", {x: x0, y: y, width: w, height: LANE - 2 * PAD,
                          class: "bar " + b[1], "data-i": i}, body);
    if (b[1] === "run") {
      const c = colors[keyOf(b)] || ["#999999", "#000000"];
      r.style.fill = c[0];
      if (hidden.size && hidden.has(keyOf(b))) r.classList.add("dim");
      if (b[6]) {
        const tw = measure.measureText(b[6]).width;
        if (tw + 6 <= w && x0 >= (lastLabelEnd[b[0]] || -1e9)) {
          const t = el("text", {x: x0 + w / 2, y: y + (LANE - 2 * PAD) / 2 + 4,
                                "text-anchor": "middle", class: "label", fill: c[1]}, body);
          t.textContent = b[6];
          lastLabelEnd[b[0]] = x0 + w;
        }
      }
    }
  });
  D.markers.forEach((m, i) => {
    const px = x(m[1]);
    el("line", {x1: px, x2: px, y1: m[0] * LANE + 1, y2: (m[0] + 1) * LANE - 1,
                class: m[3] ? "due late" : "due", "data-m": i}, body);
  });
}

function legend() {
  const box = $("legend");
  box.replaceChildren();
  for (const [key, c] of Object.entries(D.colors[colorBy])) {
    const s = document.createElement("span");
    const i = document.createElement("i");
    i.style.background = c[0];
    s.append(i, key);
    if (hidden.has(key)) s.classList.add("off");
    s.title = "click to highlight or dim " + key;
    s.addEventListener("click", () => {
      if (hidden.has(key)) hidden.delete(key); else hidden.add(key);
      legend(); render();
    });
    box.appendChild(s);
  }
  const extra = [["setup", "setup", D.bars.some((b) => b[1] === "setup")],
                 ["down", "unavailable", D.bars.some((b) => b[1] === "down")],
                 ["previous", "previous plan", D.bars.some((b) => b[1] === "previous")],
                 ["due", "due date", D.markers.length > 0],
                 ["due late", "due date (late order)", D.markers.some((m) => m[3])]];
  for (const [cls, text, shown] of extra) {
    if (!shown) continue;
    const s = document.createElement("span");
    const i = document.createElement("i");
    i.className = cls;
    s.append(i, text);
    box.appendChild(s);
  }
}

function names() {
  const box = $("names");
  box.replaceChildren();
  for (const lane of D.lanes) {
    const d = document.createElement("div");
    d.textContent = lane[0];
    if (lane[1]) {
      const n = document.createElement("small");
      n.textContent = lane[1];
      d.appendChild(n);
    }
    if (lane[2]) d.className = "late";
    box.appendChild(d);
  }
  $("corner").style.height = AXIS + "px";
}

function showTip(e) {
  const tip = $("tip"), t = e.target;
  let rows = null;
  if (t.dataset && t.dataset.i !== undefined) rows = D.bars[+t.dataset.i][7];
  else if (t.dataset && t.dataset.m !== undefined) {
    const m = D.markers[+t.dataset.m];
    rows = [["order", D.lanes[m[0]][0]], ["", m[2]]];
    if (D.lanes[m[0]][1]) rows.push(["", D.lanes[m[0]][1]]);
  }
  if (!rows) { tip.hidden = true; return; }
  const dl = document.createElement("dl");
  for (const [k, v] of rows) {
    const dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = k; dd.textContent = v;
    dl.append(dt, dd);
  }
  tip.replaceChildren(dl);
  tip.hidden = false;
  const left = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 4);
  const top = e.clientY + 14 + tip.offsetHeight > window.innerHeight
    ? e.clientY - tip.offsetHeight - 8 : e.clientY + 14;
  tip.style.left = Math.max(0, left) + "px";
  tip.style.top = Math.max(0, top) + "px";
}

function fit() {
  const avail = $("scroll").clientWidth - $("names").offsetWidth - 2 * LEFT - 4;
  scale = Math.max(avail, 200) / (HI - LO);
}

function zoom(factor, anchorX) {
  const sc = $("scroll"), nameW = $("names").offsetWidth;
  const ax = anchorX === undefined ? (sc.clientWidth - nameW) / 2 : anchorX;
  const t = LO + (sc.scrollLeft + ax - LEFT) / scale;
  scale *= factor;
  render();
  sc.scrollLeft = Math.max(0, (t - LO) * scale + LEFT - ax);
}

$("color-by").value = colorBy;
$("color-by").addEventListener("change", (e) => {
  colorBy = e.target.value; hidden = new Set(); legend(); render();
});
$("zoom-in").addEventListener("click", () => zoom(1.5));
$("zoom-out").addEventListener("click", () => zoom(1 / 1.5));
$("zoom-fit").addEventListener("click", () => { fit(); render(); });
$("scroll").addEventListener("wheel", (e) => {
  if (!e.ctrlKey) return;
  e.preventDefault();
  const box = $("body").getBoundingClientRect();
  zoom(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - box.left - $("scroll").scrollLeft);
}, {passive: false});
$("body").addEventListener("mousemove", showTip);
$("body").addEventListener("mouseleave", () => { $("tip").hidden = true; });
names();
legend();
fit();
render();
document.body.dataset.ready = "1";
})();
"""
