// Tidemill's web dashboard: polls the REST API every second and draws what it answers.
// Rates and shares of time are computed here from the deltas of the counters the API returns
// (GET /jobs/{id} documents them), over the samples of the last few seconds.
'use strict';

const POLL_MILLIS = 1000;
const RATE_WINDOW_MILLIS = 3000;
const SVG = 'http://www.w3.org/2000/svg';

const state = {
  selected: null,   // the job shown in detail
  samples: {},      // job id -> [{t, executionId, vertices}] of the rate window
};

// ---- the API ----

async function get(path) {
  const r = await fetch(path, { cache: 'no-store' });
  const body = await r.json();
  if (!r.ok) {
    throw new Error(`${path}: ${body.error || r.status}`);
  }
  return body;
}

/** POSTs to the API; asks once for the API token if the node wants one. */
async function post(path) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers = { 'Content-Type': 'application/json' };
    const token = sessionStorage.getItem('tidemill-token');
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const r = await fetch(path, { method: 'POST', headers });
    const body = await r.json();
    if (r.status === 401 && attempt === 0) {
      const entered = window.prompt('This node needs its API token:');
      if (!entered) {
        throw new Error('no API token given');
      }
      sessionStorage.setItem('tidemill-token', entered);
      continue;
    }
    if (!r.ok) {
      throw new Error(body.error || `status ${r.status}`);
    }
    return body;
  }
  throw new Error('the API token was refused');
}

// ---- formatting ----

function el(tag, attrs, ...children) {
  const e = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) {
      e.setAttribute(k, v);
    }
  }
  for (const c of children) {
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function fmtRate(perSecond) {
  if (perSecond === null) return '–';
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M`;
  if (perSecond >= 1e4) return `${(perSecond / 1e3).toFixed(0)}k`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k`;
  return perSecond.toFixed(perSecond < 10 ? 1 : 0);
}

function fmtShare(share) {
  return share === null ? '–' : `${Math.round(share * 100)}%`;
}

function fmtBytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

function fmtMillis(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function fmtSeconds(s) {
  const abs = Math.abs(s);
  if (abs < 120) return `${s.toFixed(1)} s`;
  if (abs < 7200) return `${(s / 60).toFixed(0)} min`;
  if (abs < 172800) return `${(s / 3600).toFixed(0)} h`;
  return `${(s / 86400).toFixed(0)} d`;
}

/** Watermarks are epoch millis; Long.MIN_VALUE (none yet) and Long.MAX_VALUE (input ended) are far out. */
function fmtWatermark(wm) {
  if (wm <= -9e15) return 'none yet';
  if (wm >= 9e15) return 'end of input';
  return `${new Date(wm).toISOString().replace('T', ' ').slice(0, 19)} (lag ${fmtSeconds((Date.now() - wm) / 1000)})`;
}

function fmtTime(millis) {
  return new Date(millis).toLocaleString();
}

function backpressureClass(share) {
  if (share === null || share < 0.1) return 'ok';
  return share < 0.5 ? 'warn' : 'bad';
}

// ---- rates ----

/**
 * Per vertex: records in and out per second and the shares of time backpressured and busy, from the
 * oldest sample of the window to this one (null until two samples are far enough apart).
 */
function rates(job) {
  const now = performance.now();
  let samples = state.samples[job.id] || [];
  if (samples.length && samples[0].executionId !== job.executionId) {
    samples = []; // a new execution counts from zero
  }
  samples.push({ t: now, executionId: job.executionId, vertices: job.vertices });
  while (samples.length > 2 && now - samples[1].t >= RATE_WINDOW_MILLIS) {
    samples.shift();
  }
  state.samples[job.id] = samples;
  const first = samples[0];
  const seconds = (now - first.t) / 1000;
  return job.vertices.map((v, i) => {
    const before = first.vertices[i];
    if (seconds < 0.5 || !before || before.name !== v.name) {
      return { in: null, out: null, backpressured: null, busy: null };
    }
    const per = (a, b) => Math.max(0, a - b) / seconds;
    return {
      in: per(v.recordsIn, before.recordsIn),
      out: per(v.recordsOut, before.recordsOut),
      backpressured: Math.min(1, per(v.backpressuredSeconds, before.backpressuredSeconds) / v.parallelism),
      busy: Math.min(1, per(v.busySeconds, before.busySeconds) / v.parallelism),
    };
  });
}

// ---- drawing ----

function drawOverview(overview) {
  document.getElementById('cluster').textContent = `${overview.clusterName} · ${overview.members} `
    + `member${overview.members === 1 ? '' : 's'} · ${overview.jobsRunning} running, ${overview.jobsFinished} `
    + `finished, ${overview.jobsFailed} failed, ${overview.jobsCancelled} cancelled · version ${overview.version}`;
}

function drawMembers(members) {
  fill(document.querySelector('#members tbody'), members.map(m => el('tr', { class: 'member', 'data-member': m.id },
    el('td', {}, m.id), el('td', {}, m.host), el('td', { class: 'num' }, m.hazelcastPort || '–'),
    el('td', { class: 'num' }, m.dataPort || '–'), el('td', { class: 'num' }, m.httpPort || '–'),
    el('td', {}, (m.master ? 'master' : 'member') + (m.local ? ' (answering)' : '')))));
}

function drawJobs(jobs) {
  document.getElementById('no-jobs').hidden = jobs.length > 0;
  fill(document.querySelector('#jobs tbody'), jobs.map(j => {
    const row = el('tr', { class: 'job' + (j.id === state.selected ? ' selected' : ''), 'data-job-id': j.id,
      'data-job-name': j.name },
    el('td', {}, j.name), el('td', { class: 'muted' }, j.id), el('td', {}, el('span', { class: `badge ${j.status}` },
      j.status)), el('td', { class: 'num' }, j.parallelism), el('td', { class: 'num' }, j.restarts),
    el('td', {}, fmtTime(j.startTime)));
    row.addEventListener('click', () => {
      location.hash = `job=${encodeURIComponent(j.id)}`;
      state.selected = j.id;
      poll();
    });
    return row;
  }));
}

/** Layers by the longest path from a source, so that every edge points right. */
function layers(job) {
  const layer = new Map(job.vertices.map(v => [v.index, 0]));
  for (let pass = 0; pass < job.vertices.length; pass++) {
    for (const e of job.edges) {
      layer.set(e.to, Math.max(layer.get(e.to), layer.get(e.from) + 1));
    }
  }
  return layer;
}

function drawGraph(job, rate) {
  const svg = document.getElementById('graph');
  const W = 250, H = 74, GAP_X = 90, GAP_Y = 26, PAD = 12;
  const layer = layers(job);
  const rowOf = new Map();
  const perLayer = new Map();
  for (const v of job.vertices) {
    const l = layer.get(v.index);
    rowOf.set(v.index, perLayer.get(l) || 0);
    perLayer.set(l, (perLayer.get(l) || 0) + 1);
  }
  const x = i => PAD + layer.get(i) * (W + GAP_X);
  const y = i => PAD + rowOf.get(i) * (H + GAP_Y);
  const width = PAD * 2 + (Math.max(0, ...layer.values()) + 1) * (W + GAP_X) - GAP_X;
  const height = PAD * 2 + Math.max(1, ...perLayer.values()) * (H + GAP_Y) - GAP_Y;
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const arrow = el('svg:marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8,
    markerHeight: 8, orient: 'auto' }, el('svg:path', { d: 'M0,0 L10,5 L0,10 z' }));
  const parts = [el('svg:defs', {}, arrow)];
  for (const e of job.edges) {
    const x1 = x(e.from) + W, y1 = y(e.from) + H / 2, x2 = x(e.to), y2 = y(e.to) + H / 2;
    const mid = (x1 + x2) / 2;
    const label = e.partitioning + (e.sideOutput ? ` · side output ${e.sideOutput}` : '');
    parts.push(el('svg:g', { class: 'edge', 'data-from': e.from, 'data-to': e.to },
      el('svg:path', { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, 'marker-end': 'url(#arrow)' }),
      el('svg:text', { x: mid, y: (y1 + y2) / 2 - 5, 'text-anchor': 'middle' }, label)));
  }
  job.vertices.forEach((v, i) => {
    const r = rate[i];
    const name = v.name.length > 36 ? `${v.name.slice(0, 35)}…` : v.name;
    parts.push(el('svg:g', { class: `vertex ${backpressureClass(r.backpressured)}`, 'data-vertex': v.name,
      transform: `translate(${x(v.index)},${y(v.index)})` },
    el('svg:title', {}, `${v.name}\non ${v.placement.join(', ')}`),
    el('svg:rect', { width: W, height: H, rx: 6 }),
    el('svg:text', { x: 10, y: 19, class: 'name' }, name),
    el('svg:text', { x: 10, y: 38 }, `parallelism ${v.parallelism} · in ${fmtRate(r.in)}/s · out ${fmtRate(r.out)}/s`),
    el('svg:text', { x: 10, y: 57 }, `backpressured ${fmtShare(r.backpressured)} · busy ${fmtShare(r.busy)}`)));
  });
  svg.replaceChildren(...parts);
}

function drawVertices(job, rate) {
  fill(document.querySelector('#vertices tbody'), job.vertices.map((v, i) => {
    const r = rate[i];
    return el('tr', { class: 'vertex', 'data-vertex': v.name },
      el('td', { class: 'num' }, v.index), el('td', { class: 'wrap' }, v.name), el('td', { class: 'num' }, v.parallelism),
      el('td', { class: 'muted wrap' }, [...new Set(v.placement)].join(', ')),
      el('td', { class: 'num rate-in', 'data-rate': r.in === null ? null : r.in.toFixed(1) }, fmtRate(r.in)),
      el('td', { class: 'num rate-out', 'data-rate': r.out === null ? null : r.out.toFixed(1) }, fmtRate(r.out)),
      el('td', { class: `num backpressure bp-${backpressureClass(r.backpressured)}` }, fmtShare(r.backpressured)),
      el('td', { class: 'num busy' }, fmtShare(r.busy)),
      el('td', { class: 'watermark' }, fmtWatermark(v.watermark)));
  }));
}

function drawCheckpoints(stats) {
  document.getElementById('checkpoint-counts').textContent = `${stats.completed} completed, ${stats.failed} failed`;
  document.getElementById('no-checkpoints').hidden = stats.history.length > 0;
  fill(document.querySelector('#checkpoints tbody'), stats.history.slice().reverse().map(c =>
    el('tr', { class: 'checkpoint', 'data-checkpoint': c.id },
      el('td', { class: 'num' }, c.id), el('td', { class: 'muted' }, c.location),
      el('td', { class: 'num' }, fmtMillis(c.durationMillis)), el('td', { class: 'num' }, fmtBytes(c.bytes)))));
}

function drawJob(job, checkpoints) {
  document.getElementById('job').hidden = false;
  document.getElementById('job-name').textContent = job.name;
  const badge = document.getElementById('job-status');
  badge.textContent = job.status;
  badge.className = `badge ${job.status}`;
  document.getElementById('job-facts').textContent = `id ${job.id} · started ${fmtTime(job.startTime)} · `
    + `parallelism ${job.parallelism} · restarts ${job.restarts}`
    + (job.className ? ` · ${job.className} ${job.args.join(' ')}` : '');
  const failure = document.getElementById('job-failure');
  failure.hidden = !job.lastFailure;
  failure.textContent = job.lastFailure ? `last failure: ${job.lastFailure}` : '';
  for (const b of document.querySelectorAll('.actions button')) {
    b.hidden = !job.actions.includes(b.dataset.action);
  }
  const rate = rates(job);
  drawGraph(job, rate);
  drawVertices(job, rate);
  drawCheckpoints(checkpoints);
}

// ---- actions ----

async function act(action) {
  const id = state.selected;
  const result = document.getElementById('action-result');
  if (action !== 'savepoint' && !window.confirm(`${action === 'stop' ? 'Stop (with a savepoint)' : 'Cancel'} job ${id}?`)) {
    return;
  }
  const buttons = document.querySelectorAll('.actions button');
  buttons.forEach(b => { b.disabled = true; });
  try {
    const path = `/jobs/${encodeURIComponent(id)}/${action === 'savepoint' ? 'savepoints' : action}`;
    const answer = await post(path);
    const trigger = answer['request-id'];
    if (!trigger) {
      result.textContent = `${action}: requested`;
      return;
    }
    result.textContent = `${action}: in progress…`;
    for (;;) {
      await new Promise(resolve => setTimeout(resolve, POLL_MILLIS));
      const s = await get(`/jobs/${encodeURIComponent(id)}/savepoints/${encodeURIComponent(trigger)}`);
      if (s.status === 'COMPLETED') {
        result.textContent = `${action}: savepoint at ${s.location}`;
        return;
      }
      if (s.status === 'FAILED') {
        result.textContent = `${action} failed: ${s.failure}`;
        return;
      }
    }
  } catch (e) {
    result.textContent = `${action} failed: ${e.message}`;
  } finally {
    buttons.forEach(b => { b.disabled = false; });
  }
}

// ---- polling ----

function selectedFromHash() {
  const m = /job=([^&]+)/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : null;
}

let polling = null;

async function poll() {
  if (polling) {
    return polling;
  }
  polling = (async () => {
    const status = document.getElementById('status');
    try {
      const [overview, members, jobs] = await Promise.all([get('/overview'), get('/members'), get('/jobs')]);
      drawOverview(overview);
      drawMembers(members.members);
      const list = jobs.jobs;
      if (!list.some(j => j.id === state.selected)) {
        const wanted = list.find(j => j.id === selectedFromHash());
        const running = list.find(j => j.status === 'RUNNING');
        state.selected = (wanted || running || list[list.length - 1] || {}).id || null;
      }
      drawJobs(list);
      if (state.selected) {
        const id = encodeURIComponent(state.selected);
        const [job, checkpoints] = await Promise.all([get(`/jobs/${id}`), get(`/jobs/${id}/checkpoints`)]);
        drawJob(job, checkpoints);
      } else {
        document.getElementById('job').hidden = true;
      }
      status.textContent = `updated ${new Date().toLocaleTimeString()}`;
      status.classList.remove('error');
    } catch (e) {
      status.textContent = `API error: ${e.message}`;
      status.classList.add('error');
    } finally {
      polling = null;
    }
  })();
  return polling;
}

document.addEventListener('DOMContentLoaded', () => {
  for (const b of document.querySelectorAll('.actions button')) {
    b.addEventListener('click', () => act(b.dataset.action));
  }
  window.addEventListener('hashchange', () => {
    state.selected = selectedFromHash();
    poll();
  });
  state.selected = selectedFromHash();
  poll();
  setInterval(poll, POLL_MILLIS);
});
