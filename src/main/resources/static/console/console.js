// DCX Hub admin console: one page, hash routes, the hub's REST API (same origin, session cookie + CSRF header).
// Forms are built from the contract's schemas (/console/contract.json), so they check what the API checks, and the
// API's problem+json answers are shown next to the field they name. No build step, no framework.

// ------------------------------------------------------------------ small DOM helpers
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
let VIEW = null; // the current route's view, inside <main>
const main = () => VIEW;
let fieldSeq = 0;
const uid = (p) => `${p}-${++fieldSeq}`;

// ------------------------------------------------------------------ API client
class ApiError extends Error {
  constructor(status, body) {
    const problem = body && typeof body === 'object' ? body : { message: body ? String(body) : `HTTP ${status}` };
    super(problem.message || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function cookie(name) {
  const c = document.cookie.split('; ').find((x) => x.startsWith(name + '='));
  return c ? decodeURIComponent(c.slice(name.length + 1)) : '';
}

async function api(method, path, body, contentType) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = cookie('dcx_csrf');
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType || 'application/json';
    payload = contentType ? body : JSON.stringify(body);
  }
  const r = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const type = r.headers.get('Content-Type') || '';
  const data = r.status === 204 ? null : type.includes('json') ? await r.json() : await r.text();
  if (r.status === 401 && !path.startsWith('/console/session')) {
    signIn();
    throw new ApiError(401, data);
  }
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}
const get = (path) => api('GET', path);
const qs = (params) => {
  const p = Object.entries(params).filter(([, v]) => v !== '' && v !== undefined && v !== null);
  return p.length ? '?' + new URLSearchParams(p).toString() : '';
};

/** Every page of a list (up to max items), for the small reference lists (campaigns, buyers, suppliers). */
async function all(path, max = 500) {
  const items = [];
  let token = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(path + sep + 'limit=100' + (token ? '&next_token=' + encodeURIComponent(token) : ''));
    items.push(...page.items);
    token = page.next_token;
  } while (token && items.length < max);
  return items;
}

// ------------------------------------------------------------------ formatting
const money = (cents) => (cents === null || cents === undefined ? '—'
  : (cents < 0 ? '-$' : '$') + (Math.abs(cents) / 100).toFixed(2));
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
const dash = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));
const secs = (s) => (s === null || s === undefined ? '—' : `${Math.floor(s / 60)}m ${s % 60}s`);
function statusBadge(s) {
  const good = ['ACTIVE', 'COMPLETED', 'DELIVERED', 'ACCEPTED', 'scheduled'].includes(s);
  const bad = ['FAILED', 'DEAD', 'INACTIVE', 'BUSY', 'NO_ANSWER', 'REJECTED', 'error'].includes(s);
  return h('span', { class: 'status' + (good ? ' ok' : bad ? ' bad' : '') }, dash(s));
}

// ------------------------------------------------------------------ contract schemas
let SCHEMAS = null;
let CONTRACT = null;
async function loadSchemas() {
  if (!SCHEMAS) {
    CONTRACT = await (await fetch('/console/contract.json')).json();
    SCHEMAS = CONTRACT.schemas;
  }
  return SCHEMAS;
}
/** Whether this hub's contract has the operation (screens for newer operations appear when the hub has them). */
const has = (path, method = 'get') => Boolean(CONTRACT.paths[path] && CONTRACT.paths[path][method]);
const param = (p) => (p.$ref ? CONTRACT.parameters[p.$ref.split('/').pop()] : p);
function resolve(s) {
  if (!s) return {};
  if (s.$ref) return resolve(SCHEMAS[s.$ref.split('/').pop()]);
  if (s.allOf) {
    const merged = { type: 'object', properties: {}, required: [] };
    for (const part of s.allOf) {
      const r = resolve(part);
      Object.assign(merged.properties, r.properties || {});
      merged.required.push(...(r.required || []));
    }
    return merged;
  }
  return s;
}
const REFS = { campaign_id: ['/api/campaigns', 'Campaign'], buyer_id: ['/api/buyers', 'Buyer'],
  supplier_id: ['/api/suppliers', 'Supplier'] };
const label = (name) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()).replace(/\bid\b/i, '');

/** The checks the contract states for a value (the same the hub's validator runs); a message or ''. */
function check(schema, value, required) {
  if (value === undefined || value === null || value === '') return required ? 'This field is required.' : '';
  if (schema.type === 'string') {
    if (schema.minLength && value.length < schema.minLength) return `At least ${schema.minLength} characters.`;
    if (schema.maxLength && value.length > schema.maxLength) return `At most ${schema.maxLength} characters.`;
    if (schema.pattern) {
      let re = null;
      try { re = new RegExp(schema.pattern, 'u'); } catch { re = null; }
      if (re && !re.test(value)) {
        return schema.pattern.includes('+[1-9]') ? 'Use E.164 format, like +15551234567.'
          : `Does not match the expected format (${schema.example || schema.pattern}).`;
      }
    }
    if (schema.format === 'email' && !/^[^@\s]+@[^@\s]+$/.test(value)) return 'Enter an email address.';
    if (schema.format === 'uri' && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value)) return 'Enter a full URL (https://…).';
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    if (typeof value !== 'number' || Number.isNaN(value)) return 'Enter a number.';
    if (schema.type === 'integer' && !Number.isInteger(value)) return 'Enter a whole number.';
    if (schema.minimum !== undefined && value < schema.minimum) return `At least ${schema.minimum}.`;
    if (schema.maximum !== undefined && value > schema.maximum) return `At most ${schema.maximum}.`;
  }
  if (schema.type === 'array' && Array.isArray(value)) {
    if (schema.minItems && value.length < schema.minItems) return `Choose at least ${schema.minItems}.`;
    if (schema.maxItems && value.length > schema.maxItems) return `At most ${schema.maxItems}.`;
    const item = resolve(schema.items);
    for (const v of value) {
      if (typeof v === 'object') continue;
      const m = check(item, v, true);
      if (m) return `${v}: ${m}`;
    }
  }
  return '';
}

// ------------------------------------------------------------------ widgets for one property
async function widget(name, schema, value, required, opts) {
  const id = uid('f-' + name);
  const s = resolve(schema);
  const hintText = opts.noHints ? '' : (opts.hints && opts.hints[name]) || (s.description && s.description.length < 140 ? s.description : '');
  const field = h('div', { class: 'field' });
  const errorEl = h('p', { class: 'error', id: id + '-err', hidden: true });
  const hintEl = hintText ? h('p', { class: 'hint', id: id + '-hint' }, hintText) : null;
  const describedBy = [hintEl ? id + '-hint' : null, id + '-err'].filter(Boolean).join(' ');
  let input;
  let read;
  const nullable = s.nullable || schema.nullable;
  const itemsSchema = s.type === 'array' ? resolve(s.items) : null;

  if (name === 'schedule_rules') {
    return scheduleEditor(name, s, value, field, errorEl, hintEl);
  }
  if (REFS[name] && s.format === 'uuid') {
    const [path, what] = REFS[name];
    const items = await all(path).catch(() => []);
    input = h('select', { id, name, 'aria-describedby': describedBy, required },
      h('option', { value: '' }, required ? `Choose a ${what.toLowerCase()}` : opts.filter ? 'Any' : '(none)'),
      items.map((it) => h('option', { value: it.id, selected: it.id === value }, it.name || it.e164 || it.id)));
    read = () => input.value || (nullable ? null : undefined);
  } else if (s.enum) {
    const values = s.enum.filter((v) => v !== null);
    const current = value ?? s.default ?? '';
    input = h('select', { id, name, 'aria-describedby': describedBy, required },
      !required || current === '' ? h('option', { value: '' }, opts.filter ? 'Any' : nullable ? '(none)' : '(choose)') : null,
      values.map((v) => h('option', { value: v, selected: v === current }, v)));
    read = () => input.value || (nullable ? null : undefined);
  } else if (s.type === 'boolean' && nullable) {
    // three answers: yes, no, or null (e.g. a buyer's recording_enabled: null follows the campaign)
    const current = value === true ? 'true' : value === false ? 'false' : '';
    input = h('select', { id, name, 'aria-describedby': describedBy },
      [['', '(default)'], ['true', 'Yes'], ['false', 'No']].map(([v, t]) => h('option', { value: v, selected: v === current }, t)));
    read = () => (input.value === '' ? (opts.patch ? null : undefined) : input.value === 'true');
  } else if (s.type === 'boolean') {
    input = h('input', { id, name, type: 'checkbox', 'aria-describedby': describedBy,
      checked: value ?? s.default ?? false });
    read = () => input.checked;
  } else if (s.type === 'integer' || s.type === 'number') {
    input = h('input', { id, name, type: 'number', inputmode: 'numeric', min: s.minimum, max: s.maximum,
      step: s.type === 'integer' ? 1 : 'any', value: value ?? '', placeholder: s.default ?? '',
      'aria-describedby': describedBy, required });
    read = () => (input.value === '' ? (nullable && opts.patch ? null : undefined) : Number(input.value));
  } else if (s.type === 'array' && itemsSchema && itemsSchema.type !== 'object') {
    input = h('input', { id, name, type: 'text', value: (value || []).join(', '), 'aria-describedby': describedBy,
      placeholder: 'comma-separated' });
    read = () => {
      const list = input.value.split(',').map((x) => x.trim()).filter(Boolean);
      return list.length || opts.patch ? list : (nullable ? null : undefined);
    };
  } else if (name === 'geo_rules') {
    input = h('input', { id, name, type: 'text', value: ((value && value.allowed_states) || []).join(', '),
      placeholder: 'allowed states, e.g. FL, TX', 'aria-describedby': describedBy });
    read = () => {
      const list = input.value.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
      return list.length ? { allowed_states: list } : null;
    };
  } else if (s.type === 'object') {
    input = h('textarea', { id, name, rows: 3, 'aria-describedby': describedBy },
      value ? JSON.stringify(value, null, 2) : '');
    read = () => {
      if (!input.value.trim()) return nullable ? null : undefined;
      try { return JSON.parse(input.value); } catch { return Symbol.for('bad-json'); }
    };
  } else {
    const type = s.format === 'email' ? 'email' : s.format === 'uri' ? 'url'
      : s.format === 'date-time' ? 'datetime-local' : name.includes('password') ? 'password' : 'text';
    const v = type === 'datetime-local' && value ? new Date(value).toISOString().slice(0, 16) : value ?? '';
    const long = s.maxLength && s.maxLength > 500;
    input = long
      ? h('textarea', { id, name, rows: 3, maxlength: s.maxLength, 'aria-describedby': describedBy, required }, v)
      : h('input', { id, name, type, value: v, maxlength: s.maxLength, placeholder: s.example ?? s.default ?? '',
        autocomplete: 'off', 'aria-describedby': describedBy, required });
    if (long) field.classList.add('wide');
    read = () => {
      const raw = input.value.trim();
      if (raw === '') return nullable && opts.patch ? null : undefined;
      return type === 'datetime-local' ? new Date(raw).toISOString() : raw;
    };
  }
  const text = (opts.labels && opts.labels[name]) || label(name);
  if (s.type === 'boolean' && !nullable) {
    field.append(h('label', { for: id }, input, ' ', text));
  } else {
    field.append(h('label', { for: id }, text, required ? h('span', { 'aria-hidden': 'true' }, ' *') : ''), input);
  }
  if (hintEl) field.append(hintEl);
  field.append(errorEl);
  const validate = () => {
    const v = read();
    if (v === Symbol.for('bad-json')) return 'Not valid JSON.';
    return check(s, v, required);
  };
  return { name, element: field, read, validate, focus: () => input.focus(), error: errorFor(input, errorEl) };
}

function errorFor(input, errorEl) {
  return (message) => {
    errorEl.textContent = message || '';
    errorEl.hidden = !message;
    if (input) {
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  };
}

/** The weekly schedule of a buyer: rows of days + start/end times (ScheduleRule). */
function scheduleEditor(name, schema, value, field, errorEl, hintEl) {
  const rule = resolve(schema.items);
  const days = resolve(rule.properties.days.items).enum;
  const list = h('div', { class: 'rules' });
  const fieldset = h('fieldset', {}, h('legend', {}, 'Schedule (open windows)'), list);
  const addRule = (r) => {
    const row = h('div', { class: 'rule', role: 'group', 'aria-label': 'Open window' });
    const boxes = days.map((d) => h('label', {}, h('input', { type: 'checkbox', value: d,
      checked: r && r.days.includes(d) }), ' ', d));
    const start = h('input', { type: 'time', value: (r && r.start) || '09:00', 'aria-label': 'Opens at' });
    const end = h('input', { type: 'time', value: (r && r.end) || '17:00', 'aria-label': 'Closes at' });
    const remove = h('button', { type: 'button', class: 'secondary', onclick: () => row.remove() }, 'Remove window');
    row.append(h('span', { class: 'days' }, boxes), h('label', {}, 'From ', start), h('label', {}, 'to ', end), remove);
    row.read = () => ({ days: boxes.map((b) => b.firstChild).filter((b) => b.checked).map((b) => b.value),
      start: start.value, end: end.value });
    list.append(row);
  };
  (value || []).forEach(addRule);
  const add = h('button', { type: 'button', class: 'secondary', onclick: () => addRule(null) }, 'Add open window');
  fieldset.append(add, h('p', { class: 'hint' }, 'No window means always open. Times are in the schedule time zone.'));
  field.classList.add('wide');
  field.append(fieldset);
  if (hintEl) hintEl.remove();
  field.append(errorEl);
  const read = () => [...list.children].map((row) => row.read());
  return {
    name, element: field, read,
    validate: () => {
      for (const r of read()) {
        if (!r.days.length) return 'Each window needs at least one day.';
        if (!r.start || !r.end) return 'Each window needs a start and an end time.';
      }
      return '';
    },
    focus: () => (list.querySelector('input') || add).focus(),
    error: errorFor(null, errorEl),
  };
}

/**
 * A form for a contract schema. opts: values (current object, for edits), patch (send only changed fields), only /
 * omit (property names), fixed (values sent as they are, not shown), submit (label), onSaved(result), send(body).
 */
async function schemaForm(schemaName, opts) {
  await loadSchemas();
  const schema = resolve(SCHEMAS[schemaName]);
  const required = new Set(schema.required || []);
  const values = opts.values || {};
  const form = h('form', { class: 'schema', novalidate: true, 'aria-label': opts.title || schemaName });
  const fields = [];
  for (const [name, prop] of Object.entries(schema.properties)) {
    if (resolve(prop).readOnly || (opts.only && !opts.only.includes(name)) || (opts.omit || []).includes(name)) continue;
    if (opts.fixed && name in opts.fixed) continue;
    const w = await widget(name, prop, values[name], required.has(name) && !opts.patch, opts);
    fields.push(w);
    form.append(w.element);
  }
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit' }, opts.submit || 'Save');
  const done = h('span', { role: 'status', class: 'hint' });
  form.append(h('div', { class: 'actions' }, button, done), formError);
  const showProblem = (problem) => {
    const byName = (f) => fields.find((w) => f && (w.name === f || f.replace(/^\//, '').split(/[./[]/)[0] === w.name));
    let placed = false;
    const items = problem.errors && problem.errors.length ? problem.errors : [{ field: problem.field, message: problem.message }];
    for (const e of items) {
      const w = byName(e.field);
      if (w) {
        w.error(e.message);
        if (!placed) w.focus();
        placed = true;
      }
    }
    if (!placed) {
      formError.textContent = problem.message || 'The hub refused the request.';
      formError.hidden = false;
    }
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    formError.hidden = true;
    done.textContent = '';
    let firstBad = null;
    const body = { ...(opts.fixed || {}) };
    for (const w of fields) {
      const message = w.validate();
      w.error(message);
      if (message && !firstBad) firstBad = w;
      const v = w.read();
      if (v === undefined) continue;
      if (opts.patch && JSON.stringify(v) === JSON.stringify(values[w.name] ?? (Array.isArray(v) ? [] : null))) continue;
      body[w.name] = v;
    }
    if (firstBad) {
      firstBad.focus();
      return;
    }
    if (opts.patch && !Object.keys(body).length) {
      done.textContent = 'Nothing changed.';
      return;
    }
    button.disabled = true;
    try {
      const result = await opts.send(body);
      done.textContent = 'Saved.';
      if (opts.onSaved) await opts.onSaved(result);
    } catch (e) {
      if (e instanceof ApiError) showProblem(e.problem);
      else throw e;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

// ------------------------------------------------------------------ tables and lists
function table(caption, columns, rows, rowAttrs) {
  if (!rows.length) return h('p', { class: 'hint' }, `${caption}: none yet.`);
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows.map((r) => h('tr', rowAttrs ? rowAttrs(r) : {},
      columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.value(r)))))));
}

/** A paged list: renders page after page into a container, with a "More" button while next_token is set. */
function pagedList(path, caption, columns, rowAttrs) {
  const box = h('div', {});
  const rows = [];
  let token = null;
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, onclick: () => load() }, 'More');
  const load = async (reset) => {
    if (reset) { rows.length = 0; token = null; }
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(path + sep + 'limit=50' + (token ? '&next_token=' + encodeURIComponent(token) : ''));
    rows.push(...page.items);
    token = page.next_token;
    box.replaceChildren(table(caption, columns, rows, rowAttrs));
    more.hidden = !token;
  };
  const el = h('div', {}, box, more);
  el.reload = () => load(true);
  return el;
}
const link = (href, text) => h('a', { href }, text);

/**
 * Filters for a list operation, built from its query parameters in the contract (so a hub with more filters shows
 * more); onApply(query object) runs on submit. A boolean filter is a choice of any / true / false.
 */
async function filterBar(path, onApply, label_, submitLabel) {
  const params = (CONTRACT.paths[path]?.get?.parameters || []).map(param)
    .filter((p) => p.in === 'query' && !['limit', 'next_token'].includes(p.name));
  const widgets = [];
  for (const p of params) {
    const schema = resolve(p.schema).type === 'boolean' ? { type: 'string', enum: ['true', 'false'] } : p.schema;
    widgets.push(await widget(p.name, schema, undefined, false, { noHints: true, filter: true }));
  }
  const form = h('form', { class: 'schema', novalidate: true, role: 'search', 'aria-label': label_ || 'Filters' },
    widgets.map((w) => w.element));
  form.append(h('div', { class: 'actions' }, h('button', { type: 'submit' }, submitLabel || 'Apply filters'),
    h('button', { type: 'reset', class: 'secondary' }, 'Clear')));
  const apply = (ev) => {
    ev.preventDefault();
    const query = {};
    let bad = null;
    for (const w of widgets) {
      const m = w.validate();
      w.error(m);
      if (m && !bad) bad = w;
      const v = w.read();
      if (v !== undefined && v !== null && v !== '') query[w.name] = v;
    }
    if (bad) return bad.focus();
    onApply(query);
  };
  form.addEventListener('submit', apply);
  form.addEventListener('reset', () => setTimeout(() => onApply({}), 0));
  form.showProblem = (problem) => {
    const w = widgets.find((x) => x.name === problem.field);
    if (w) w.error(problem.message);
    return Boolean(w);
  };
  return form;
}
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

// ------------------------------------------------------------------ live events (SSE)
const liveListeners = new Set();
let source = null;
function live(listener) {
  liveListeners.add(listener);
  if (!source || source.readyState === EventSource.CLOSED) {
    source = new EventSource('/console/events');
    source.addEventListener('ready', () => {
      document.getElementById('live-status').textContent = 'Live updates on';
      document.body.dataset.live = 'on';
    });
    source.addEventListener('hub-event', (e) => {
      const event = JSON.parse(e.data);
      for (const l of liveListeners) l(event);
    });
    source.onerror = () => {
      document.getElementById('live-status').textContent = 'Live updates reconnecting…';
      document.body.dataset.live = 'off';
    };
  }
  return () => liveListeners.delete(listener);
}
function debounce(fn, ms) {
  let t = null;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

// ------------------------------------------------------------------ pages
const pages = {};
let leavePage = [];
/** Runs f when the user leaves the route that drew root (at once if that already happened). */
const onLeave = (root, f) => (VIEW === root ? leavePage.push(f) : f());

pages.dashboard = async () => {
  const root = main(); // this route's view: a page left before it finished draws into a detached one
  const box = h('div', {});
  root.append(h('h1', {}, 'Dashboard'), box);
  const draw = async () => {
    if (has('/api/reports/dashboard')) {
      box.replaceChildren(await reportDashboard());
      return;
    }
    const [calls, campaigns] = await Promise.all([all('/api/calls', 1000), all('/api/campaigns')]);
    box.replaceChildren(dashboard(calls, campaigns));
  };
  await draw();
  onLeave(root, live(debounce(draw, 500)));
};

const kpi = (label, value) => h('div', { class: 'kpi' }, h('div', {}, label), h('div', { class: 'value' }, value));

/** Vertical bars, one per item; the chart's text alternative lists every value. */
function barChart(title, items, fmt) {
  const max = Math.max(1, ...items.map((x) => Math.abs(x.value)));
  return h('figure', {},
    h('div', { class: 'chart', role: 'img', 'aria-label': `${title}: ` + items.map((x) => `${x.label} ${fmt(x.value)}`).join(', ') },
      items.map((x) => h('div', { class: 'bar' + (x.value < 0 ? ' neg' : ''), title: `${x.label}: ${fmt(x.value)}`,
        style: `height:${(Math.abs(x.value) / max) * 100}%` }))),
    h('div', { class: 'chart-labels', 'aria-hidden': 'true' }, items.map((x, i) => h('span', {}, i % 3 ? '' : x.short ?? x.label))));
}

/** Horizontal bars per group (campaign, buyer): calls and money. */
function groupBars(rows) {
  const max = Math.max(1, ...rows.map((r) => r.calls));
  if (!rows.length) return h('p', { class: 'hint' }, 'No calls.');
  return h('div', { class: 'hbars' }, rows.map((r) => h('div', {}, h('span', {}, r.name),
    h('span', { class: 'track' }, h('span', { class: 'fill', style: `display:block;width:${(r.calls / max) * 100}%` })),
    h('span', {}, `${r.calls} calls · ${money(r.money)}`))));
}

/** The dashboard from the hub's reports (GET /api/reports/dashboard and /api/reports/summary by buyer). */
async function reportDashboard() {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const d = await get('/api/reports/dashboard' + qs({ tz }));
  const byBuyer = await get('/api/reports/summary' + qs({ from: d.today.since, to: new Date(Date.now() + 60e3).toISOString(),
    group_by: 'buyer', tz }));
  const hours = new Map();
  for (const row of d.last_24h) {
    const hr = hours.get(row.hour) || { calls: 0, margin: 0 };
    hr.calls += row.calls;
    hr.margin += row.margin_cents;
    hours.set(row.hour, hr);
  }
  const start = new Date(Date.now() - 23 * 3600e3);
  start.setMinutes(0, 0, 0);
  const slots = Array.from({ length: 24 }, (_, i) => new Date(start.getTime() + i * 3600e3));
  const at = (t) => [...hours.entries()].find(([k]) => new Date(k).getTime() === t.getTime())?.[1] || { calls: 0, margin: 0 };
  const series = (f) => slots.map((t) => ({ label: `${t.getHours()}:00`, short: t.getHours(), value: at(t)[f] }));
  const t = d.today;
  return h('div', {},
    h('div', { class: 'kpis' }, kpi('Calls today', t.calls), kpi('Connected today', t.connected),
      kpi('Minutes today', Math.round(t.minutes)), kpi('Revenue today', money(t.revenue_cents)),
      kpi('Profit today', money(t.margin_cents)), kpi('Conversions today', t.conversions)),
    h('div', { class: 'grid2' },
      h('section', {}, h('h2', {}, 'Calls per hour (last 24 hours)'), barChart('Calls per hour', series('calls'), (v) => v)),
      h('section', {}, h('h2', {}, 'Profit per hour (last 24 hours)'), barChart('Profit per hour', series('margin'), money))),
    h('div', { class: 'grid2' },
      h('section', {}, h('h2', {}, 'By campaign (last 24 hours)'),
        groupBars(d.campaigns.map((g) => ({ name: g.name || '(no campaign)', calls: g.calls, money: g.margin_cents })))),
      h('section', {}, h('h2', {}, 'By buyer (today)'),
        groupBars(byBuyer.groups.map((g) => ({ name: g.name || '(no buyer)', calls: g.calls, money: g.margin_cents }))))),
    h('p', { class: 'hint' }, `Figures from the hub's reports, time zone ${d.tz}; profit is revenue less telephony cost.`));
}

/** The dashboard computed in the page from the most recent calls (a hub without the reports API). */
function dashboard(calls, campaigns) {
  const since = new Date();
  since.setHours(0, 0, 0, 0);
  const today = calls.filter((c) => new Date(c.started_at || c.created_at) >= since);
  const sum = (list, f) => list.reduce((a, c) => a + (c[f] || 0), 0);
  const names = Object.fromEntries(campaigns.map((c) => [c.id, c.name]));
  const hours = Array.from({ length: 24 }, (_, i) => ({ hour: i, calls: 0, profit: 0 }));
  for (const c of today) {
    const hr = hours[new Date(c.started_at || c.created_at).getHours()];
    hr.calls += 1;
    hr.profit += c.profit_cents || 0;
  }
  const per = {};
  for (const c of calls) {
    const k = c.campaign_id || 'none';
    per[k] = per[k] || { name: names[k] || (k === 'none' ? '(no campaign)' : k), calls: 0, profit: 0 };
    per[k].calls += 1;
    per[k].profit += c.profit_cents || 0;
  }
  const bars = (key, fmt) => {
    const max = Math.max(1, ...hours.map((x) => Math.abs(x[key])));
    return h('figure', {},
      h('div', { class: 'chart', role: 'img', 'aria-label': `${key} per hour today: ` + hours.map((x) => `${x.hour}h ${fmt(x[key])}`).join(', ') },
        hours.map((x) => h('div', { class: 'bar' + (x[key] < 0 ? ' neg' : ''), title: `${x.hour}:00 ${fmt(x[key])}`,
          style: `height:${(Math.abs(x[key]) / max) * 100}%` }))),
      h('div', { class: 'chart-labels', 'aria-hidden': 'true' }, hours.map((x) => h('span', {}, x.hour % 3 ? '' : x.hour))));
  };
  const rows = Object.values(per).sort((a, b) => b.calls - a.calls);
  const maxCalls = Math.max(1, ...rows.map((r) => r.calls));
  return h('div', {},
    h('div', { class: 'kpis' },
      kpi('Calls today', today.length),
      kpi('Minutes today', Math.round(sum(today, 'billable_duration_seconds') / 60)),
      kpi('Estimated revenue today', money(sum(today, 'revenue_estimated_cents'))),
      kpi('Profit today', money(sum(today, 'profit_cents')))),
    h('div', { class: 'grid2' },
      h('section', {}, h('h2', {}, 'Calls per hour (today)'), bars('calls', (v) => v)),
      h('section', {}, h('h2', {}, 'Profit per hour (today)'), bars('profit', money))),
    h('section', {}, h('h2', {}, 'By campaign (recent calls)'),
      h('div', { class: 'hbars' }, rows.map((r) => h('div', {}, h('span', {}, r.name),
        h('span', { class: 'track' }, h('span', { class: 'fill', style: `display:block;width:${(r.calls / maxCalls) * 100}%` })),
        h('span', {}, `${r.calls} calls · ${money(r.profit)}`))))),
    h('p', { class: 'hint' }, `From the ${calls.length} most recent calls of GET /api/calls.`));
}

// --- calls
const callColumns = (names) => [
  { label: 'Call', value: (c) => link(`#/calls/${c.public_id || c.id}`, c.public_id || c.id) },
  { label: 'Started', value: (c) => when(c.started_at || c.created_at) },
  { label: 'Direction', value: (c) => c.direction },
  { label: 'Campaign', value: (c) => (c.campaign_id ? names[c.campaign_id] || c.campaign_id : '—') },
  { label: 'Buyer', value: (c) => (c.buyer_id ? names[c.buyer_id] || c.buyer_id : '—') },
  { label: 'Status', value: (c) => statusBadge(c.status) },
  { label: 'Duration', value: (c) => secs(c.duration_seconds), num: true },
  { label: 'Revenue', value: (c) => money(c.revenue_effective_cents ?? c.revenue_estimated_cents), num: true },
  { label: 'Profit', value: (c) => money(c.profit_cents), num: true },
];

pages.calls = async (id) => {
  const root = main(); // this route's view: a page left before it finished draws into a detached one
  if (id) return callDetail(id);
  const [campaigns, buyers] = await Promise.all([all('/api/campaigns'), all('/api/buyers')]);
  const names = Object.fromEntries([...campaigns, ...buyers].map((x) => [x.id, x.name]));
  await loadSchemas();
  const box = h('div', {});
  const seen = new Set();
  let query = {};
  let filters = null;
  const draw = async (fresh) => {
    let page;
    try {
      page = await get('/api/calls' + qs({ limit: 50, ...query }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && filters.showProblem(e.problem)) return;
      throw e;
    }
    box.replaceChildren(table('Calls, newest first', callColumns(names), page.items,
      (c) => ({ 'data-call': c.public_id, class: fresh && !seen.has(c.public_id) ? 'new' : null })));
    page.items.forEach((c) => seen.add(c.public_id));
  };
  filters = await filterBar('/api/calls', (q) => { query = q; draw(false); }, 'Call filters');
  root.append(h('h1', {}, 'Calls'), h('details', {}, h('summary', {}, 'Filters'), filters), box);
  await draw(false);
  onLeave(root, live(debounce((e) => { if (e.call_public_id) draw(true); }, 200)));
};

async function callDetail(id) {
  const root = main(); // this route's view: a page left before it finished draws into a detached one
  const box = h('div', {});
  root.append(box);
  const draw = async () => box.replaceChildren(...await callView(await get('/api/calls/' + encodeURIComponent(id)), box));
  await draw();
  // the call's own events (answered, completed, converted, ...) redraw it
  onLeave(root, live(debounce((e) => { if (e.call_public_id && box.dataset.call === e.call_public_id) draw(); }, 300)));
}

async function callView(c, box) {
  box.dataset.call = c.public_id;
  const [campaigns, buyers] = await Promise.all([all('/api/campaigns'), all('/api/buyers')]);
  const names = Object.fromEntries([...campaigns, ...buyers].map((x) => [x.id, x.name]));
  const fact = (k, v) => [h('dt', {}, k), h('dd', {}, v)];
  const eco = c.economics || {};
  const rec = c.recording || { enabled: c.recording_enabled, url: c.recording_url };
  const timeline = Array.isArray(c.timeline) && c.timeline.length ? c.timeline.map((t) => [t.event + (t.status ? ` (${t.status})` : ''), t.occurred_at]) : [
    ['Created', c.created_at], ['Scheduled', c.scheduled_at], ['Started', c.started_at], ['Dispatched', c.dispatched_at],
    ...(c.legs || []).flatMap((l) => [[`Leg ${l.sequence} to ${names[l.buyer_id] || l.kind} rang`, l.started_at],
      [`Leg ${l.sequence} answered`, l.answered_at], [`Leg ${l.sequence} ended (${dash(l.dial_call_status)})`, l.ended_at]]),
    ['Answered', c.answered_at], ['Ended', c.ended_at], ['Completed', c.completed_at],
  ].filter(([, t]) => t).sort((a, b) => new Date(a[1]) - new Date(b[1]));
  const transcript = h('div', {});
  const out = [
    h('p', {}, link('#/calls', '← All calls')),
    h('h1', {}, `Call ${c.public_id}`),
    h('div', { class: 'grid2' },
      h('section', {}, h('h2', {}, 'Summary'), h('dl', { class: 'facts' },
        fact('Status', statusBadge(c.status)), fact('Direction', c.direction), fact('Provider', c.provider),
        fact('From', dash(c.from_number)), fact('To', dash(c.to_number)),
        fact('Campaign', c.campaign_id ? link(`#/campaigns/${c.campaign_id}`, names[c.campaign_id] || c.campaign_id) : '—'),
        fact('Buyer', c.buyer_id ? link(`#/buyers/${c.buyer_id}`, names[c.buyer_id] || c.buyer_id) : '—'),
        fact('Fallback reason', dash(c.fallback_reason)), fact('Failure reason', dash(c.failure_reason)),
        fact('Converted', c.converted ? 'yes' : 'no'), fact('Trace id', dash(c.trace_id)))),
      h('section', {}, h('h2', {}, 'Economics'), h('dl', { class: 'facts' },
        fact('Duration', secs(c.duration_seconds)), fact('Billable', secs(c.billable_duration_seconds)),
        fact('Revenue (expected)', money(eco.expected_revenue_cents ?? c.revenue_estimated_cents)),
        fact('Revenue (effective)', money(eco.effective_revenue_cents ?? c.revenue_effective_cents)),
        fact('Telephony cost', money(eco.telephony_cost_cents ?? c.telephony_cost_cents)),
        fact('Profit', money(eco.profit_cents ?? c.profit_cents)))),
      h('section', {}, h('h2', {}, 'Timeline'),
        h('ol', { class: 'timeline' }, timeline.map(([k, t]) => h('li', {}, h('strong', {}, when(t)), ' — ', k))))),
    h('h2', {}, 'Legs'),
    table('Buyers tried', [
      { label: '#', value: (l) => l.sequence }, { label: 'Kind', value: (l) => l.kind },
      { label: 'Buyer', value: (l) => names[l.buyer_id] || dash(l.buyer_id) },
      { label: 'Destination', value: (l) => dash(l.destination) },
      { label: 'Result', value: (l) => dash(l.dial_call_status) }, { label: 'Duration', value: (l) => secs(l.duration_seconds) },
      { label: 'Reason', value: (l) => dash(l.reason) }], c.legs || []),
    h('h2', {}, 'Routing skips'),
    table('Buyers passed over', [
      { label: 'Buyer', value: (s) => names[s.buyer_id] || dash(s.buyer_id) },
      { label: 'Reason', value: (s) => dash(s.reason) }], c.routing_skips || []),
    Array.isArray(c.conversions) ? [h('h2', {}, 'Conversions'), table('Conversions reported by buyers', [
      { label: 'Event', value: (x) => x.event_type }, { label: 'Time', value: (x) => when(x.event_time || x.created_at) },
      { label: 'Buyer', value: (x) => names[x.buyer_id] || dash(x.buyer_id) },
      { label: 'Revenue', value: (x) => money(x.revenue_cents), num: true }, { label: 'Source', value: (x) => dash(x.source) }],
    c.conversions)] : null,
    h('h2', {}, 'Recording'),
    rec.url
      ? h('audio', { controls: true, preload: 'none', 'aria-label': 'Call recording',
        src: c.recording ? rec.url : `/api/calls/${encodeURIComponent(c.public_id)}/recording` })
      : h('p', { class: 'hint' }, rec.deleted_at ? `Deleted ${when(rec.deleted_at)}.` : rec.enabled ? 'Recording not available yet.' : 'Not recorded.'),
    h('h2', {}, 'Transcript'), transcript,
    c.summary ? [h('h2', {}, 'AI summary'), h('p', {}, c.summary)] : null];
  if (c.transcription_status === 'COMPLETED' || c.provider !== 'TWILIO') {
    get(`/api/calls/${encodeURIComponent(c.public_id)}/transcript`)
      .then((t) => transcript.replaceChildren(h('pre', { style: 'white-space:pre-wrap' }, t.text || t.transcript || JSON.stringify(t, null, 2))))
      .catch(() => transcript.replaceChildren(h('p', { class: 'hint' }, 'No transcript.')));
  } else {
    transcript.append(h('p', { class: 'hint' }, `Transcription: ${dash(c.transcription_status)}.`));
  }
  return out.flat().filter(Boolean);
}

// --- catalog: suppliers, buyers, campaigns, numbers

/** Recent calls of a supplier, buyer or campaign: filtered by the hub when its list has the filter, else here. */
async function callsOf(field, id) {
  const filters = (CONTRACT.paths['/api/calls']?.get?.parameters || []).map(param).map((p) => p.name);
  if (filters.includes(field)) return all(`/api/calls?${field}=${id}`, 200);
  return (await all('/api/calls', 500)).filter((c) => c[field] === id);
}
function listPage({ title, path, schema, columns, detail, createTitle }) {
  return async (id) => {
    const root = main(); // this route's view: a page left before it finished draws into a detached one
    if (id) return detail(id);
    const list = pagedList(path, title, columns);
    const form = await schemaForm(schema, { title: createTitle, submit: 'Create',
      send: (body) => api('POST', path, body),
      onSaved: async (created) => { list.reload(); if (detail) location.hash = `#/${currentRoute()}/${created.id}`; } });
    root.append(h('h1', {}, title), list,
      h('details', {}, h('summary', {}, createTitle), form));
    await list.reload();
  };
}
const currentRoute = () => location.hash.replace(/^#\/?/, '').split('/')[0] || 'dashboard';

async function editSection(title, schema, path, values, onSaved) {
  return h('section', {}, h('h2', {}, title), await schemaForm(schema, { title, values, patch: true,
    send: (body) => api('PATCH', path, body), onSaved }));
}

pages.suppliers = listPage({
  title: 'Suppliers', path: '/api/suppliers', schema: 'SupplierCreate', createTitle: 'New supplier',
  columns: [{ label: 'Name', value: (s) => link(`#/suppliers/${s.id}`, s.name) }, { label: 'Type', value: (s) => s.type },
    { label: 'Status', value: (s) => statusBadge(s.status) }, { label: 'Contact', value: (s) => dash(s.contact_email) }],
  detail: async (id) => {
    const root = main(); // this route's view: a page left before it finished draws into a detached one
    const s = await get('/api/suppliers/' + id);
    const campaigns = await all('/api/campaigns?supplier_id=' + id);
    const numbers = await all('/api/numbers?supplier_id=' + id);
    root.append(h('p', {}, link('#/suppliers', '← Suppliers')), h('h1', {}, s.name),
      await editSection('Edit supplier', 'SupplierPatch', '/api/suppliers/' + id, s, () => route()),
      table('Campaigns', [{ label: 'Name', value: (c) => link(`#/campaigns/${c.id}`, c.name) },
        { label: 'Status', value: (c) => statusBadge(c.status) }], campaigns),
      table('Numbers', [{ label: 'Number', value: (n) => n.e164 }, { label: 'Status', value: (n) => statusBadge(n.status) }], numbers),
      h('h2', {}, 'Recent calls'), table('Calls from this supplier', callColumns(Object.fromEntries(campaigns.map((c) => [c.id, c.name]))),
        (await callsOf('supplier_id', id)).slice(0, 20)));
  },
});

pages.buyers = listPage({
  title: 'Buyers', path: '/api/buyers', schema: 'BuyerCreate', createTitle: 'New buyer',
  columns: [{ label: 'Name', value: (b) => link(`#/buyers/${b.id}`, b.name) }, { label: 'Status', value: (b) => statusBadge(b.status) },
    { label: 'Concurrency', value: (b) => b.concurrency_limit, num: true },
    { label: 'Daily cap', value: (b) => (b.daily_cap ?? 'none'), num: true }, { label: 'Weight', value: (b) => b.weight, num: true },
    { label: 'Open', value: (b) => (b.schedule_rules && b.schedule_rules.length ? `${b.schedule_rules.length} window(s), ${b.schedule_timezone}` : 'always') }],
  detail: async (id) => {
    const root = main(); // this route's view: a page left before it finished draws into a detached one
    const b = await get('/api/buyers/' + id);
    const [offers, campaigns] = await Promise.all([all('/api/offers?buyer_id=' + id), all('/api/campaigns')]);
    const names = Object.fromEntries(campaigns.map((c) => [c.id, c.name]));
    const calls = (await callsOf('buyer_id', id));
    root.append(h('p', {}, link('#/buyers', '← Buyers')), h('h1', {}, b.name),
      performance(calls),
      await editSection('Caps, schedule and settings', 'BuyerPatch', '/api/buyers/' + id, b, () => route()),
      h('h2', {}, 'Offers'),
      table('Offers of this buyer', offerColumns(names, null), offers),
      h('details', {}, h('summary', {}, 'New offer for this buyer'), await schemaForm('OfferCreate', {
        title: 'New offer', submit: 'Create offer', fixed: { buyer_id: id },
        send: (body) => api('POST', '/api/offers', body), onSaved: () => route() })),
      h('h2', {}, 'Recent calls'), table('Calls routed to this buyer', callColumns(names), calls.slice(0, 20)));
  },
});

function offerColumns(names, buyers) {
  return [
    { label: buyers ? 'Buyer' : 'Campaign', value: (o) => (buyers ? link(`#/buyers/${o.buyer_id}`, buyers[o.buyer_id] || o.buyer_id)
      : link(`#/campaigns/${o.campaign_id}`, names[o.campaign_id] || o.campaign_id)) },
    { label: 'Model', value: (o) => o.pricing_model }, { label: 'Payout', value: (o) => money(o.payout_cents), num: true },
    { label: 'Buffer', value: (o) => `${o.buffer_seconds}s`, num: true }, { label: 'Priority', value: (o) => o.priority, num: true },
    { label: 'Daily cap', value: (o) => o.daily_cap ?? 'none', num: true }, { label: 'Active', value: (o) => (o.is_active ? 'yes' : 'no') },
  ];
}

function performance(calls) {
  const sum = (f) => calls.reduce((a, c) => a + (c[f] || 0), 0);
  const answered = calls.filter((c) => c.answered_at).length;
  return h('section', {}, h('h2', {}, 'Performance (recent calls)'), h('div', { class: 'kpis' },
    [['Calls', calls.length], ['Answered', answered], ['Converted', calls.filter((c) => c.converted).length],
      ['Revenue', money(sum('revenue_estimated_cents'))], ['Profit', money(sum('profit_cents'))]]
      .map(([k, v]) => h('div', { class: 'kpi' }, h('div', {}, k), h('div', { class: 'value' }, v)))));
}

pages.campaigns = listPage({
  title: 'Campaigns', path: '/api/campaigns', schema: 'CampaignCreate', createTitle: 'New campaign',
  columns: [{ label: 'Name', value: (c) => link(`#/campaigns/${c.id}`, c.name) }, { label: 'Vertical', value: (c) => c.vertical },
    { label: 'Geo', value: (c) => (c.geo_rules && c.geo_rules.allowed_states ? c.geo_rules.allowed_states.join(', ') : 'any') },
    { label: 'Status', value: (c) => statusBadge(c.status) }],
  detail: async (id) => {
    const root = main(); // this route's view: a page left before it finished draws into a detached one
    const c = await get('/api/campaigns/' + id);
    const [offers, numbers, buyers] = await Promise.all([all('/api/offers?campaign_id=' + id),
      all('/api/numbers?campaign_id=' + id), all('/api/buyers')]);
    const buyerNames = Object.fromEntries(buyers.map((b) => [b.id, b.name]));
    const calls = (await callsOf('campaign_id', id));
    root.append(h('p', {}, link('#/campaigns', '← Campaigns')), h('h1', {}, c.name),
      performance(calls),
      h('h2', {}, 'Offers'), table('Buyers on this campaign', offerColumns({}, buyerNames), offers),
      h('details', { open: !offers.length }, h('summary', {}, 'New offer on this campaign'), await schemaForm('OfferCreate', {
        title: 'New offer', submit: 'Create offer', fixed: { campaign_id: id },
        send: (body) => api('POST', '/api/offers', body), onSaved: () => route() })),
      h('h2', {}, 'Numbers'), table('Tracking numbers', [{ label: 'Number', value: (n) => n.e164 },
        { label: 'Pool', value: (n) => n.pool_type }, { label: 'Status', value: (n) => statusBadge(n.status) }], numbers),
      await editSection('Edit campaign', 'CampaignPatch', '/api/campaigns/' + id, c, () => route()));
  },
});

pages.numbers = async () => {
  const root = main(); // this route's view: a page left before it finished draws into a detached one
  const [campaigns, suppliers] = await Promise.all([all('/api/campaigns'), all('/api/suppliers')]);
  const names = Object.fromEntries([...campaigns, ...suppliers].map((x) => [x.id, x.name]));
  const list = pagedList('/api/numbers', 'Phone numbers', [
    { label: 'Number', value: (n) => n.e164 }, { label: 'Campaign', value: (n) => names[n.campaign_id] || '—' },
    { label: 'Supplier', value: (n) => names[n.supplier_id] || '—' }, { label: 'Pool', value: (n) => n.pool_type },
    { label: 'Status', value: (n) => statusBadge(n.status) },
    { label: 'Assign', value: (n) => (n.status === 'RELEASED' ? `released ${when(n.released_at)}` : assignNumber(n, campaigns, list)) },
    has('/api/numbers/{id}', 'delete') ? { label: 'Release', value: (n) => (n.status === 'RELEASED' ? '—' : releaseNumber(n, list)) } : null,
  ].filter(Boolean));
  root.append(h('h1', {}, 'Numbers'), list,
    has('/api/numbers/available') ? await buyNumbers(campaigns, list) : null,
    has('/api/numbers/sync', 'post') ? syncNumbers(list) : null,
    h('details', {}, h('summary', {}, 'Add a number you own on Twilio'), await schemaForm('NumberCreate', {
      title: 'New number', submit: 'Add number', send: (body) => api('POST', '/api/numbers', body), onSaved: () => list.reload() })));
  await list.reload();
};

/** Search Twilio's available numbers (the search operation's parameters as the form) and buy one. */
async function buyNumbers(campaigns, list) {
  const results = h('div', {});
  const message = h('p', { role: 'status' });
  const campaign = h('select', { id: 'buy-campaign' }, h('option', { value: '' }, '(unassigned)'),
    campaigns.map((c) => h('option', { value: c.id }, c.name)));
  const search = await filterBar('/api/numbers/available', async (query) => {
    message.textContent = 'Searching…';
    try {
      const found = await get('/api/numbers/available' + qs(query));
      message.textContent = `${found.items.length} number(s) offered.`;
      results.replaceChildren(table('Numbers Twilio offers', [
        { label: 'Number', value: (n) => n.e164 }, { label: 'Locality', value: (n) => [n.locality, n.region].filter(Boolean).join(', ') || '—' },
        { label: 'Voice / SMS', value: (n) => `${n.capabilities?.voice ? 'voice' : ''} ${n.capabilities?.sms ? 'sms' : ''}` },
        { label: 'Buy', value: (n) => h('button', { type: 'button', 'data-buy': n.e164, onclick: async (ev) => {
          ev.target.disabled = true;
          try {
            const bought = await api('POST', '/api/numbers/purchase', { e164: n.e164, campaign_id: campaign.value || null });
            message.textContent = `Bought ${bought.e164}.`;
            await list.reload();
          } catch (e) { message.textContent = e.message; ev.target.disabled = false; }
        } }, `Buy ${n.e164}`) }], found.items));
    } catch (e) {
      if (!(e instanceof ApiError) || !search.showProblem(e.problem)) message.textContent = e.message;
      else message.textContent = '';
    }
  }, 'Search numbers to buy', 'Search');
  return h('section', {}, h('h2', {}, 'Search and buy'), search,
    h('div', { class: 'toolbar' }, h('div', { class: 'field' }, h('label', { for: 'buy-campaign' }, 'Assign bought numbers to'), campaign)),
    message, results);
}

function syncNumbers(list) {
  const report = h('p', { role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    button.disabled = true;
    report.textContent = 'Syncing with Twilio…';
    try {
      const r = await api('POST', '/api/numbers/sync');
      const n = (k) => (Array.isArray(r[k]) ? r[k].length : 0);
      report.textContent = `${r.status}: ${r.twilio_numbers} numbers at Twilio; imported ${n('imported')}, repaired ${n('repaired')}, `
        + `missing ${n('marked_missing')}, unchanged ${r.unchanged}.`;
      await list.reload();
    } catch (e) { report.textContent = e.message; } finally { button.disabled = false; }
  } }, 'Sync with Twilio');
  return h('section', {}, h('h2', {}, 'Twilio account'), button, report);
}

/** Gives a number back to Twilio (after a confirmation: a released number cannot be reactivated). */
function releaseNumber(n, list) {
  const msg = h('span', { class: 'error', role: 'alert' });
  return h('span', {}, h('button', { type: 'button', class: 'secondary', onclick: async (ev) => {
    if (!window.confirm(`Release ${n.e164} to Twilio? It stops routing calls and cannot be reactivated.`)) return;
    ev.target.disabled = true;
    try {
      await api('DELETE', `/api/numbers/${n.id}?confirm=true`);
      await list.reload();
    } catch (e) { msg.textContent = e.message; ev.target.disabled = false; }
  } }, `Release ${n.e164}`), msg);
}

function assignNumber(n, campaigns, list) {
  const id = uid('assign');
  const select = h('select', { id, 'aria-label': `Campaign of ${n.e164}` }, h('option', { value: '' }, '(unassigned)'),
    campaigns.map((c) => h('option', { value: c.id, selected: c.id === n.campaign_id }, c.name)));
  const msg = h('span', { class: 'error', role: 'alert' });
  select.addEventListener('change', async () => {
    try {
      await api('PATCH', '/api/numbers/' + n.id, { campaign_id: select.value || null });
      await list.reload();
    } catch (e) { msg.textContent = e.message; }
  });
  return h('span', {}, select, msg);
}

// --- webhooks
pages.webhooks = async (id) => {
  const root = main(); // this route's view: a page left before it finished draws into a detached one
  if (id) return webhookDetail(id);
  const list = pagedList('/api/webhook-endpoints', 'Webhook endpoints', [
    { label: 'URL', value: (w) => link(`#/webhooks/${w.id}`, w.url) }, { label: 'Events', value: (w) => (w.event_types.length ? w.event_types.join(', ') : 'all') },
    { label: 'Enabled', value: (w) => (w.enabled ? 'yes' : `no (${dash(w.disabled_reason)})`) },
    { label: 'Failing since', value: (w) => when(w.failing_since) }]);
  const secret = h('div', {});
  root.append(h('h1', {}, 'Webhook endpoints'), list, secret,
    h('details', {}, h('summary', {}, 'New endpoint'), await schemaForm('WebhookEndpointCreate', {
      title: 'New endpoint', submit: 'Create endpoint', send: (body) => api('POST', '/api/webhook-endpoints', body),
      onSaved: (w) => { secretNotice(secret, w.secret); list.reload(); } })));
  await list.reload();
};

function secretNotice(box, secret) {
  box.replaceChildren(h('div', { class: 'notice', role: 'status' }, 'Signing secret (shown once): ',
    h('span', { class: 'secret' }, secret)));
}

async function webhookDetail(id) {
  const root = main(); // this route's view: a page left before it finished draws into a detached one
  const w = await get('/api/webhook-endpoints/' + id);
  const secret = h('div', {});
  const deliveries = h('div', {});
  const status = h('select', { id: 'delivery-status' }, h('option', { value: '' }, 'Any status'),
    (await loadSchemas()).WebhookDeliveryStatus.enum.map((s) => h('option', { value: s }, s)));
  const message = h('p', { role: 'status', id: 'webhook-message' });
  const draw = async () => {
    const page = await get(`/api/webhook-endpoints/${id}/deliveries` + qs({ limit: 50, status: status.value }));
    deliveries.replaceChildren(table('Deliveries, newest first', [
      { label: 'Event', value: (d) => d.event_type }, { label: 'Status', value: (d) => statusBadge(d.status) },
      { label: 'Attempts', value: (d) => d.attempts, num: true }, { label: 'Last response', value: (d) => dash(d.last_response_code) },
      { label: 'Last attempt', value: (d) => when(d.last_attempt_at) }, { label: 'Next attempt', value: (d) => when(d.next_attempt_at) },
      { label: 'Error', value: (d) => dash(d.last_error) },
      { label: 'Action', value: (d) => h('button', { type: 'button', class: 'secondary', 'data-retry': d.id, onclick: async (ev) => {
        ev.target.disabled = true;
        try {
          const r = await api('POST', `/api/webhook-deliveries/${d.id}/retry`);
          message.textContent = `Delivery ${d.event_type} queued again (${r.status}).`;
          await draw();
        } catch (e) { message.textContent = e.message; ev.target.disabled = false; }
      } }, 'Retry now') }], page.items, (d) => ({ 'data-delivery': d.id })));
  };
  status.addEventListener('change', draw);
  const since = h('input', { id: 'replay-since', type: 'datetime-local', required: true,
    value: new Date(Date.now() - 3600e3 - new Date().getTimezoneOffset() * 60e3).toISOString().slice(0, 16) });
  const sinceErr = h('p', { class: 'error', id: 'replay-since-err', hidden: true });
  const replay = h('form', { class: 'schema', novalidate: true, 'aria-label': 'Replay events', onsubmit: async (ev) => {
    ev.preventDefault();
    const err = errorFor(since, sinceErr);
    if (!since.value) return err('Choose a time.');
    err('');
    try {
      const r = await api('POST', `/api/webhook-endpoints/${id}/replay?since=${encodeURIComponent(new Date(since.value).toISOString())}`);
      message.textContent = `Replayed ${r.replayed} event(s).`;
      await draw();
    } catch (e) { if (e instanceof ApiError) err(e.problem.message); else throw e; }
  } }, h('div', { class: 'field' }, h('label', { for: 'replay-since' }, 'Replay every event since'), since, sinceErr),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Replay')));
  const rotate = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    const r = await api('POST', `/api/webhook-endpoints/${id}/rotate-secret`, {});
    secretNotice(secret, r.secret);
  } }, 'Rotate secret');
  root.append(h('p', {}, link('#/webhooks', '← Webhook endpoints')), h('h1', {}, w.url), message, secret,
    h('h2', {}, 'Deliveries'), h('div', { class: 'toolbar' }, h('div', { class: 'field' }, h('label', { for: 'delivery-status' }, 'Status'), status)),
    deliveries, h('h2', {}, 'Replay'), replay,
    await editSection('Edit endpoint', 'WebhookEndpointPatch', '/api/webhook-endpoints/' + id, w, () => route()),
    rotate);
  await draw();
}

// --- leads
pages.leads = async () => {
  const root = main(); // this route's view: a page left before it finished draws into a detached one
  await loadSchemas();
  const statuses = resolve(SCHEMAS.LeadPatch).properties.status.enum;
  const campaigns = await all('/api/campaigns');
  const names = Object.fromEntries(campaigns.map((c) => [c.id, c.name]));
  const filter = h('select', { id: 'lead-status' }, h('option', { value: '' }, 'Any status'), statuses.map((s) => h('option', { value: s }, s)));
  const box = h('div', {});
  const message = h('p', { role: 'status' });
  let items = [];
  const draw = async () => {
    items = (await get('/api/leads' + qs({ limit: 100, status: filter.value }))).items;
    const every = h('input', { type: 'checkbox', 'aria-label': 'Select every lead', onchange: (e) =>
      box.querySelectorAll('input[data-lead]').forEach((b) => { b.checked = e.target.checked; }) });
    box.replaceChildren(items.length ? h('table', {}, h('caption', {}, 'Leads'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, every), ['Contact', 'Company', 'Phone', 'Campaign', 'Status', 'Attempts', 'Last call']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((l) => h('tr', {}, h('td', {}, h('input', { type: 'checkbox', 'data-lead': l.id, 'aria-label': `Select ${l.contact_name}` })),
        h('td', {}, l.contact_name), h('td', {}, dash(l.company_name)), h('td', {}, l.phone), h('td', {}, names[l.campaign_id] || '—'),
        h('td', {}, statusBadge(l.status)), h('td', { class: 'num' }, dash(l.call_attempts)), h('td', {}, when(l.last_called_at))))))
      : h('p', { class: 'hint' }, 'No leads.'));
  };
  filter.addEventListener('change', draw);
  const batchStatus = h('select', { id: 'batch-status' }, statuses.map((s) => h('option', { value: s }, s)));
  const batch = h('button', { type: 'button', onclick: async () => {
    const ids = [...box.querySelectorAll('input[data-lead]:checked')].map((b) => b.dataset.lead);
    if (!ids.length) { message.textContent = 'Select leads first.'; return; }
    let failed = 0;
    for (const leadId of ids) {
      try { await api('PATCH', '/api/leads/' + leadId, { status: batchStatus.value }); } catch { failed += 1; }
    }
    message.textContent = `${ids.length - failed} lead(s) set to ${batchStatus.value}` + (failed ? `, ${failed} refused.` : '.');
    await draw();
  } }, 'Apply to selected');
  root.append(h('h1', {}, 'Leads'),
    h('div', { class: 'toolbar' }, h('div', { class: 'field' }, h('label', { for: 'lead-status' }, 'Show'), filter),
      h('div', { class: 'field' }, h('label', { for: 'batch-status' }, 'Set status of selected to'), batchStatus), batch),
    message, box,
    h('h2', {}, 'Import a CSV file'), importForm(campaigns, draw),
    h('h2', {}, 'Add one lead'), await schemaForm('LeadCreate', { title: 'New lead', submit: 'Add lead',
      send: (body) => api('POST', '/api/leads', body), onSaved: draw }),
    h('h2', {}, 'Automation'), await automationPanel());
  await draw();
  onLeave(root, live(debounce((e) => { if (/LEAD|CALL/.test(e.event || '')) draw(); }, 500)));
};

function importForm(campaigns, onDone) {
  const file = h('input', { id: 'import-file', type: 'file', accept: '.csv,text/csv', required: true, 'aria-describedby': 'import-hint import-err' });
  const campaign = h('select', { id: 'import-campaign' }, h('option', { value: '' }, '(none)'), campaigns.map((c) => h('option', { value: c.id }, c.name)));
  const err = h('p', { class: 'error', id: 'import-err', hidden: true });
  const progress = h('progress', { max: 100, value: 0, 'aria-label': 'Import progress', hidden: true });
  const report = h('div', { role: 'status' });
  const form = h('form', { class: 'schema', novalidate: true, 'aria-label': 'Import leads', onsubmit: async (ev) => {
    ev.preventDefault();
    const showErr = errorFor(file, err);
    if (!file.files.length) return showErr('Choose a CSV file.');
    showErr('');
    const f = file.files[0];
    try {
      let job = await api('POST', '/api/leads/import' + qs({ campaign_id: campaign.value, filename: f.name }), await f.text(), 'text/csv');
      progress.hidden = false;
      while (job.status === 'PENDING' || job.status === 'RUNNING') {
        progress.value = job.progress ?? (job.rows_total ? (100 * job.rows_done) / job.rows_total : 0);
        report.textContent = `${job.status}: ${job.rows_done ?? 0} of ${job.rows_total ?? '?'} rows`;
        await new Promise((r) => setTimeout(r, 500));
        job = await get('/api/leads/import/' + job.id);
      }
      progress.value = 100;
      report.replaceChildren(`${job.status}: ${job.rows_accepted} accepted, ${job.rows_rejected} rejected. ${job.error || ''}`);
      if (job.rows_rejected) {
        const rows = await get(`/api/leads/import/${job.id}/rows?status=REJECTED&limit=100`);
        report.append(table('Rejected rows', [{ label: 'Row', value: (r) => r.row_number }, { label: 'Reason', value: (r) => r.reason },
          { label: 'Column', value: (r) => dash(r.field) }, { label: 'Detail', value: (r) => dash(r.detail) }], rows.items));
      }
      await onDone();
    } catch (e) { if (e instanceof ApiError) showErr(e.problem.message); else throw e; }
  } },
  h('div', { class: 'field' }, h('label', { for: 'import-file' }, 'CSV file'), file,
    h('p', { class: 'hint', id: 'import-hint' }, 'Header row with contact_name and phone; optional company_name, email, timezone, consent columns.'), err),
  h('div', { class: 'field' }, h('label', { for: 'import-campaign' }, 'Campaign'), campaign),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Import')), h('div', { class: 'wide' }, progress, report));
  return form;
}

async function automationPanel() {
  const s = await get('/api/settings/automation');
  const facts = h('dl', { class: 'facts' },
    Object.entries(s).filter(([, v]) => v === null || typeof v !== 'object').map(([k, v]) => [h('dt', {}, label(k)), h('dd', {}, dash(v))]));
  return h('div', {}, facts, await schemaForm('AutomationSettingsUpdate', { title: 'Automation settings', values: s, patch: true,
    send: (body) => api('PUT', '/api/settings/automation', body), onSaved: () => route() }));
}

// --- settings
pages.settings = async () => {
  const root = main(); // this route's view: a page left before it finished draws into a detached one
  const retention = await get('/api/settings/retention').catch(() => null);
  root.append(h('h1', {}, 'Settings'),
    h('section', {}, h('h2', {}, 'Twilio'), h('p', {}, 'The Twilio account SID and auth token are read from the environment ',
      h('code', {}, 'TWILIO_ACCOUNT_SID'), ', ', h('code', {}, 'TWILIO_AUTH_TOKEN'),
      ' (docs/configuration.md): secrets are never stored or shown by the console.')),
    h('section', {}, h('h2', {}, 'Webhook endpoints'), h('p', {}, link('#/webhooks', 'Manage the outbound event webhooks'))),
    h('section', {}, h('h2', {}, 'Lead automation'), await automationPanel()),
    retention ? await (async () => h('section', {}, h('h2', {}, 'Retention'), await schemaForm('RetentionSettings', {
      title: 'Retention', values: retention, patch: true, send: (body) => api('PUT', '/api/settings/retention', { ...pick(retention, Object.keys(SCHEMAS.RetentionSettings.properties)), ...body }),
      onSaved: () => route() })))() : null,
    h('section', {}, h('h2', {}, 'Users'), await schemaForm('UserCreate', { title: 'New user', submit: 'Create user',
      send: (body) => api('POST', '/api/users', body) })));
};

// ------------------------------------------------------------------ sign-in, routing, start
async function signIn() {
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  const err = h('p', { class: 'form-error', role: 'alert', id: 'signin-err', hidden: true });
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'signin-title', onsubmit: async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    if (!user.value || !pass.value) {
      err.textContent = 'Enter your username and password.';
      err.hidden = false;
      return;
    }
    try {
      await api('POST', '/console/session', { username: user.value, password: pass.value });
      await start();
    } catch (e) {
      err.textContent = e.message;
      err.hidden = false;
      pass.focus();
    }
  } },
  h('div', { class: 'field' }, h('label', { for: 'username' }, 'Username'), user),
  h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), pass),
  h('button', { type: 'submit' }, 'Sign in'), err);
  VIEW = null;
  leavePage.forEach((f) => f());
  leavePage = [];
  document.getElementById('main').replaceChildren(h('div', { class: 'signin' }, h('h1', { id: 'signin-title' }, 'Sign in to DCX Hub'), form));
  user.focus();
}

async function route() {
  leavePage.forEach((f) => f());
  leavePage = [];
  const [name, id] = location.hash.replace(/^#\/?/, '').split('/');
  const page = pages[name || 'dashboard'] || pages.dashboard;
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.getAttribute('href') === `#/${name || 'dashboard'}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const view = h('div', { class: 'view' });
  VIEW = view;
  document.getElementById('main').replaceChildren(view);
  document.body.dataset.page = 'loading';
  try {
    await page(id && decodeURIComponent(id));
    if (VIEW !== view) return; // left for another route meanwhile
    document.title = `${view.querySelector('h1')?.textContent || 'Console'} · DCX Hub`;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) {
      view.append(h('p', { class: 'form-error', role: 'alert' }, e.message));
    }
  }
  if (VIEW === view) document.body.dataset.page = name || 'dashboard';
}

async function start() {
  let me;
  try {
    me = await api('GET', '/console/session');
  } catch {
    return signIn();
  }
  document.getElementById('who').textContent = `${me.username} (${me.roles.join(', ')})`;
  document.getElementById('nav').hidden = false;
  const out = document.getElementById('sign-out');
  out.hidden = false;
  out.onclick = async () => {
    await api('DELETE', '/console/session');
    if (source) { source.close(); source = null; }
    signIn();
  };
  await loadSchemas();
  await route();
}

window.addEventListener('hashchange', () => { route(); document.getElementById('main').focus(); });
start();
