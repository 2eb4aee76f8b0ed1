// The page to try a model: plain ES modules, no build step. It speaks the native API
// (/v1/models, /v1/classify, PUT /v1/models/:name) as any client would.
import { LineCounter, parseDocument } from '/web/vendor/yaml/index.js';

const $ = (id) => document.getElementById(id);
const form = $('classify-form');
const models = $('model');
const result = $('result');

/** An element with children; strings become text, never HTML. */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'style') for (const [p, value] of Object.entries(v)) el.style.setProperty(p, value);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

// The token field's value goes with every call: a server with STS_ADMIN_TOKEN or STS_READ_TOKEN lists its models only to a token.
async function api(path, init = {}) {
  const token = $('token').value;
  const auth = token ? { authorization: `Bearer ${token}` } : {};
  const res = await fetch(path, { ...init, headers: { accept: 'application/json', ...auth, ...(init.headers ?? {}) } });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  return { ok: res.ok, status: res.status, body };
}

// ---- models ---------------------------------------------------------------------------

const thresholds = new Map();

async function loadModels(select) {
  const { ok, status, body } = await api('/v1/models');
  if (status === 401 || status === 403) {
    // Classifying needs no token: the server's default model answers a request that names none.
    // A list the page has already (from a token that was accepted) stays.
    if (!models.querySelector('option[value]:not([value=""])')) models.replaceChildren(h('option', { value: '', selected: true }, 'the default model'));
    $('model-info').textContent =
      status === 401 ? 'This server lists its models only to a token: enter a read or admin token under "Upload a model" to see them.' : 'The token was refused: it cannot list the models.';
    return;
  }
  if (!ok) return showError(result, 'Cannot list the models', body);
  const current = select ?? models.value;
  models.replaceChildren(
    ...body.models.map((m) => h('option', { value: m.name, selected: m.name === current || (!current && m.default) }, `${m.name}${m.default ? ' (default)' : ''}`)),
  );
  await describeModel();
}

async function describeModel() {
  const name = models.value;
  if (!name) return;
  const { ok, body } = await api(`/v1/models/${encodeURIComponent(name)}`);
  if (!ok) return;
  thresholds.set(name, body.settings.threshold);
  $('model-info').textContent = `${body.intents} intents, ${body.phrases} phrases, ${body.language}, threshold ${body.settings.threshold}`;
}

models.addEventListener('change', () => void describeModel());

// ---- classify -------------------------------------------------------------------------

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('text').value;
  if (text.trim() === '') return;
  const threshold = $('threshold').value === '' ? undefined : Number($('threshold').value);
  const nBest = $('nbest').value === '' ? undefined : Number($('nbest').value);
  const button = $('classify');
  button.disabled = true;
  result.setAttribute('aria-busy', 'true');
  try {
    const { ok, body } = await api('/v1/classify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, model: models.value || undefined, explain: true, threshold, nBest }),
    });
    if (!ok) return showError(result, 'The request failed', body);
    showEvent(body, threshold ?? thresholds.get(models.value), text);
  } catch (err) {
    showError(result, 'The server did not answer', { error: { message: String(err) } });
  } finally {
    button.disabled = false;
    result.setAttribute('aria-busy', 'false');
    $('text').focus();
    $('text').select();
  }
});

/** A hue per match kind, from its name: any kind the engine adds later gets a colour of its own. */
function hueOf(kind) {
  let hash = 0;
  for (const ch of kind) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return (hash * 137.508) % 360;
}
const chip = (text, kind, title) => h('span', { class: 'chip', title: title ?? kind, 'data-type': kind, style: { '--hue': hueOf(kind).toFixed(0) } }, text);

/** A score as a bar, with the threshold's mark when it is known (a model the page could not describe has none). */
function meter(score, threshold) {
  return h(
    'div',
    { class: 'meter', role: 'img', 'aria-label': threshold === undefined ? `score ${score.toFixed(3)}` : `score ${score.toFixed(3)} against threshold ${threshold}` },
    h('div', { class: 'fill', style: { width: `${Math.max(0, Math.min(1, score)) * 100}%` } }),
    threshold === undefined ? undefined : h('div', { class: 'mark', title: `threshold ${threshold}`, style: { left: `${Math.min(1, threshold) * 100}%` } }),
  );
}

function showEvent(e, threshold, text) {
  const parts = [];
  const headline = h('div', { class: 'headline' }, h('span', { class: `event ${e.event}`, id: 'event' }, e.event));
  if (e.intent) headline.append(h('span', { class: 'intent', id: 'intent' }, e.intent));
  if (e.rule === 'pattern') headline.append(h('span', { class: 'muted' }, `by pattern ${e.pattern}`));
  headline.append(h('span', { class: 'muted' }, `${e.elapsedMs} ms`));
  parts.push(headline);
  if (e.answer) parts.push(h('p', { class: 'answer' }, e.answer));

  if (e.limit) {
    const what = { symbols: 'characters', words: 'words', time: 'milliseconds', regex: 'milliseconds of entity regex matching' }[e.limit.kind] ?? e.limit.kind;
    parts.push(h('p', { class: 'notice warn', id: 'limit' }, `The ${e.limit.kind} limit fired: ${e.limit.actual} ${what}, at most ${e.limit.max}.`));
  }
  if (e.score !== null && e.score !== undefined) {
    const best = e.alternatives[0];
    const shown = e.event === 'match' ? e.score : (best?.score ?? e.score);
    parts.push(
      h('h3', {}, 'Score against the threshold'),
      meter(shown, threshold),
      h(
        'div',
        { class: 'score-line' },
        h('span', { id: 'score' }, threshold === undefined ? shown.toFixed(3) : `${shown.toFixed(3)} ${shown > threshold ? '>' : '≤'} ${threshold}`),
        h('span', { class: 'muted' }, e.event === 'match' ? 'matched' : 'below the threshold: noMatch'),
      ),
    );
  }
  if (e.alternatives?.length) {
    parts.push(
      h('h3', {}, 'Alternatives'),
      h(
        'ol',
        { class: 'alts', id: 'alternatives' },
        e.alternatives.map((a) =>
          h(
            'li',
            {},
            h('span', { class: 'name', title: a.intent }, a.intent),
            meter(a.score, threshold),
            h('span', { class: 'num' }, a.score.toFixed(3)),
            h('span', { class: 'phrase muted' }, a.pattern ? `pattern ${a.pattern}` : `“${a.phrase}”`),
          ),
        ),
      ),
    );
  }
  if (e.explanation) parts.push(...explanation(e.explanation, text));
  if (e.slots?.length || e.missingSlots?.length) {
    const rows = (e.slots ?? []).map((s) => h('tr', {}, h('th', {}, s.name), h('td', {}, `${s.text} → ${JSON.stringify(s.value)}`), h('td', { class: 'muted' }, `@${s.entity}`)));
    for (const m of e.missingSlots ?? []) rows.push(h('tr', {}, h('th', {}, m), h('td', { class: 'muted' }, 'missing'), h('td', { class: 'muted' }, (e.missingSlotPrompts?.[m] ?? []).join(' / '))));
    parts.push(h('h3', {}, 'Slots'), h('table', { class: 'kv', id: 'slots' }, rows));
  }
  if (e.entities?.length) {
    parts.push(
      h('h3', {}, 'Entities'),
      h('table', { class: 'kv', id: 'entities' }, e.entities.map((x) => h('tr', {}, h('th', {}, `@${x.entity}`), h('td', {}, `“${x.text}” → ${JSON.stringify(x.value)}`)))),
    );
  }
  parts.push(h('details', { class: 'raw' }, h('summary', {}, 'The event as JSON'), h('pre', {}, JSON.stringify(e, null, 2))));
  result.replaceChildren(...parts);
}

/** The closest phrase beside the request, each aligned pair coloured by its match kind. */
function explanation(x, text) {
  const byRequest = new Map();
  const byPhrase = new Map();
  for (const a of x.aligned) {
    for (const w of a.request.toLowerCase().split(/\s+/)) byRequest.set(w, a);
    for (const w of a.phrase.toLowerCase().split(/\s+/)) byPhrase.set(w, a);
  }
  const sentence = (label, s, aligned, id) =>
    h(
      'p',
      { class: 'sentence', id },
      h('span', { class: 'label' }, label),
      ...s.split(/(\s+)/).map((token) => {
        const key = token.toLowerCase().replace(/^[^\p{L}\p{N}@]+|[^\p{L}\p{N}]+$/gu, '');
        const a = aligned.get(key);
        return a ? chip(token, a.type, `${a.type}: ${a.request} ↔ ${a.phrase}`) : token;
      }),
    );
  const kinds = [...new Set(x.aligned.map((a) => a.type))];
  return [
    h('h3', {}, `Closest training phrase (score ${x.score.toFixed(3)})`),
    sentence('request', text, byRequest, 'request-words'),
    sentence('phrase', x.phrase, byPhrase, 'phrase-words'),
    h('div', { class: 'legend', id: 'legend', 'aria-label': 'match kinds' }, kinds.map((k) => chip(k, k))),
    h(
      'table',
      { class: 'pairs', id: 'aligned' },
      h('thead', {}, h('tr', {}, ['request', 'phrase', 'kind', 'coefficient', 'adds'].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        x.aligned.map((a) =>
          h('tr', {}, h('td', {}, a.request), h('td', {}, a.phrase), h('td', {}, chip(a.type, a.type)), h('td', { class: 'num' }, a.coefficient.toFixed(2)), h('td', { class: 'num' }, `+${a.contribution.toFixed(3)}`)),
        ),
      ),
    ),
    x.unmatchedRequest.length ? h('p', { class: 'unmatched muted' }, 'Request words with no match: ', ...x.unmatchedRequest.map((w) => h('span', { class: 'word-off' }, `${w} `))) : '',
    x.unmatchedPhrase.length ? h('p', { class: 'unmatched muted' }, 'Phrase words with no match: ', ...x.unmatchedPhrase.map((w) => h('span', { class: 'word-off' }, `${w} `))) : '',
  ];
}

function showError(where, title, body) {
  const err = body?.error ?? {};
  const details = (err.details ?? []).map((d) => h('li', {}, d.line ? `line ${d.line}: ${d.message}` : `${d.path ? `${d.path}: ` : ''}${d.message}`));
  where.replaceChildren(
    h('div', { class: 'notice error', role: 'alert', id: where === result ? 'error' : 'upload-error' }, h('strong', {}, title), h('div', {}, err.message ?? 'unknown error'), details.length ? h('ul', {}, details) : ''),
  );
}

// ---- upload ---------------------------------------------------------------------------

$('file').addEventListener('change', () => {
  const file = $('file').files[0];
  if (file && !$('name').value) $('name').value = file.name.replace(/\..*$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'model';
});

$('upload-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const out = $('upload-result');
  const file = $('file').files[0];
  if (!file) return;
  out.setAttribute('aria-busy', 'true');
  try {
    await uploadFile(file, out);
  } finally {
    out.setAttribute('aria-busy', 'false');
  }
});

async function uploadFile(file, out) {
  const name = $('name').value.trim();
  const text = await file.text();
  // YAML and JSON alike (JSON is YAML): the API takes JSON, and the document maps an error's path back to its line.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    return showError(out, `${file.name} is not valid YAML or JSON`, {
      error: { message: first.message.split('\n')[0], details: doc.errors.slice(0, 10).map((d) => ({ line: lineCounter.linePos(d.pos[0]).line, message: d.message.split('\n')[0] })) },
    });
  }
  const button = $('upload');
  button.disabled = true;
  out.replaceChildren(h('p', { class: 'muted' }, `Compiling ${file.name}…`));
  try {
    const { ok, status, body } = await api(`/v1/models/${encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(doc.toJS()),
    });
    if (!ok) {
      for (const d of body?.error?.details ?? []) if (d.path && !d.line) d.line = lineOf(doc, lineCounter, d.path);
      const title = status === 401 || status === 403 ? 'The admin token was refused' : `${file.name} was not accepted (${status}); the old model keeps serving`;
      return showError(out, title, body);
    }
    const warnings = body.warnings ?? [];
    out.replaceChildren(
      h(
        'div',
        { class: 'notice ok', role: 'status', id: 'upload-ok' },
        h('strong', {}, `${status === 201 ? 'Created' : 'Replaced'} model ${body.model.name}`),
        h('div', {}, `${body.model.intents} intents, ${body.model.phrases} phrases, ${body.model.language}`),
      ),
      warnings.length ? h('div', { class: 'notice warn', id: 'upload-warnings' }, h('strong', {}, `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`), h('ul', {}, warnings.map((w) => h('li', {}, w)))) : '',
    );
    await loadModels(body.model.name);
  } catch (err) {
    showError(out, 'The server did not answer', { error: { message: String(err) } });
  } finally {
    button.disabled = false;
  }
}

/** The line of a JSON path such as "body.intents.1.path" in the uploaded document, or of its nearest ancestor. */
function lineOf(doc, lineCounter, path) {
  const keys = path.split('.').filter((k, i) => !(i === 0 && k === 'body')).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  for (let n = keys.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
    if (node?.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

$('token').addEventListener('change', () => void loadModels());
void loadModels();
