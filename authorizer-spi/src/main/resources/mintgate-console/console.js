// Mintgate's console page. Static: it signs the admin in (authorization code + PKCE S256, public client
// "mintgate-console" of this realm) and calls Keycloak's admin REST API with the admin's own bearer token, so the
// admin's roles decide what it shows and may change. The token is kept in memory only, never in storage.

const CLIENT_ID = 'mintgate-console';
const path = location.pathname;
const contextPath = path.slice(0, path.indexOf('/realms/'));
const adminRealm = decodeURIComponent(path.slice(contextPath.length + '/realms/'.length).split('/')[0]);
const root = location.origin + contextPath;
const redirectUri = root + '/realms/' + encodeURIComponent(adminRealm) + '/mintgate-console/';
const oidc = root + '/realms/' + encodeURIComponent(adminRealm) + '/protocol/openid-connect';

let tokens = null;
let refreshTimer = null;
let realm = adminRealm;

// ---------------------------------------------------------------- DOM helpers (text only, never HTML from data)
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const $ = (sel, from = document) => from.querySelector(sel);
const view = () => $('#view');
function show(...children) { view().replaceChildren(...children); }
function json(value) { return h('pre', {class: 'json'}, JSON.stringify(value, null, 2)); }
function problemPanel(title, lines) {
  return h('div', {class: 'panel problems', role: 'alert'}, h('strong', {}, title),
    h('ul', {}, lines.map(l => h('li', {}, l))));
}
function errorText(r) {
  const b = r.body;
  if (b && typeof b === 'object') {
    return b.error_description || b.errorMessage || b.error || JSON.stringify(b);
  }
  return 'HTTP ' + r.status + (b ? ': ' + b : '');
}

// ---------------------------------------------------------------- sign-in
function b64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function random() { return b64url(crypto.getRandomValues(new Uint8Array(32))); }

async function signIn() {
  const verifier = random();
  const state = random();
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  // The redirect URI is exact, so what the page was opened with (?realm=, #view) waits here for the way back.
  sessionStorage.setItem('mintgate.signin', JSON.stringify({verifier, state, hash: location.hash,
    realm: new URLSearchParams(location.search).get('realm')}));
  const q = new URLSearchParams({client_id: CLIENT_ID, redirect_uri: redirectUri, response_type: 'code',
    response_mode: 'query', scope: 'openid', state, nonce: random(), code_challenge: challenge,
    code_challenge_method: 'S256'});
  location.assign(oidc + '/auth?' + q);
}

async function tokenRequest(form) {
  const r = await fetch(oidc + '/token', {method: 'POST', body: new URLSearchParams(form),
    headers: {'Content-Type': 'application/x-www-form-urlencoded'}});
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error('token request refused: ' + (body.error_description || body.error || r.status));
  tokens = body;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, Math.max(5, (body.expires_in || 60) - 15) * 1000);
}

async function refresh() {
  try {
    await tokenRequest({grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: tokens.refresh_token});
  } catch (e) {
    tokens = null;
  }
}

async function completeSignIn() {
  const q = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem('mintgate.signin') || 'null');
  sessionStorage.removeItem('mintgate.signin');
  if (q.get('error')) {
    throw new Error('sign-in refused: ' + q.get('error') + ' ' + (q.get('error_description') || ''));
  }
  if (!q.get('code')) return false;
  if (!saved || saved.state !== q.get('state')) throw new Error('sign-in answer does not match this tab (state)');
  await tokenRequest({grant_type: 'authorization_code', client_id: CLIENT_ID, code: q.get('code'),
    redirect_uri: redirectUri, code_verifier: saved.verifier});
  if (saved.realm) sessionStorage.setItem('mintgate.realm', saved.realm);
  history.replaceState(null, '', redirectUri + (saved.hash || ''));
  return true;
}

function claims() {
  try {
    return JSON.parse(atob(tokens.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch (e) {
    return {};
  }
}

// ---------------------------------------------------------------- admin REST
async function api(method, url, body) {
  if (!tokens) { await signIn(); return new Promise(() => {}); }
  const full = url.startsWith('/admin/') ? root + url : root + '/admin/realms/' + encodeURIComponent(realm) + url;
  const init = {method, headers: {Authorization: 'Bearer ' + tokens.access_token, Accept: 'application/json'}};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(full, init);
  const text = await r.text();
  let parsed = text;
  try { parsed = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: keep the text */ }
  return {status: r.status, ok: r.ok, body: parsed, location: r.headers.get('Location')};
}

// ---------------------------------------------------------------- routing
const views = {policies: policiesView, simulator: simulatorView, inventory: inventoryView,
  decisions: decisionsView, identities: identitiesView};

function route() {
  const [tab, param] = (location.hash.replace(/^#/, '') || 'policies').split('/');
  const name = views[tab] ? tab : 'policies';
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.tab === name);
  views[name](param ? decodeURIComponent(param) : undefined).catch(e => show(problemPanel('Error', [e.message])));
}

async function start() {
  try {
    const signedIn = await completeSignIn();
    if (!signedIn) { await signIn(); return; }
  } catch (e) {
    show(problemPanel('Sign-in failed', [e.message, 'The realm ' + adminRealm + ' needs the public client '
      + CLIENT_ID + ' with the redirect URI ' + redirectUri + ' (see docs/console.md).']));
    return;
  }
  const c = claims();
  $('#who').textContent = (c.preferred_username || c.sub) + ' @ ' + adminRealm;
  $('#admin-console').href = root + '/admin/' + encodeURIComponent(adminRealm) + '/console/';
  $('#sign-out').addEventListener('click', () => {
    const q = new URLSearchParams({client_id: CLIENT_ID, post_logout_redirect_uri: redirectUri,
      id_token_hint: tokens.id_token});
    tokens = null;
    location.assign(oidc + '/logout?' + q);
  });
  const wanted = sessionStorage.getItem('mintgate.realm');
  const realms = await api('GET', '/admin/realms?briefRepresentation=true');
  const select = $('#realm');
  const names = realms.ok ? realms.body.map(r => r.realm) : [adminRealm];
  realm = names.includes(wanted) ? wanted : (names.includes(adminRealm) ? adminRealm : names[0]);
  select.replaceChildren(...names.map(n => h('option', {value: n, selected: n === realm}, n)));
  select.addEventListener('change', () => { realm = select.value; sessionStorage.setItem('mintgate.realm', realm); route(); });
  window.addEventListener('hashchange', route);
  route();
}

// ---------------------------------------------------------------- policies: editor, save, tests, versions
function editor(text) {
  const gutter = h('div', {class: 'gutter', 'aria-hidden': 'true'});
  const area = h('textarea', {id: 'policy-text', spellcheck: 'false', wrap: 'off', 'aria-label': 'Policy document'});
  area.value = text || '';
  let marks = new Map();
  const paint = () => {
    const lines = area.value.split('\n').length;
    gutter.replaceChildren(...Array.from({length: lines}, (_, i) => {
      const m = marks.get(i + 1);
      return h('div', {class: m ? 'error' : null, title: m || null, 'data-line': i + 1}, i + 1);
    }));
    gutter.scrollTop = area.scrollTop;
  };
  area.addEventListener('input', () => { marks = new Map(); paint(); });
  area.addEventListener('scroll', () => { gutter.scrollTop = area.scrollTop; });
  const box = h('div', {class: 'editor'}, gutter, area);
  paint();
  return {
    box, area,
    mark(problems) {
      marks = new Map();
      for (const p of problems) if (p.documentLine) marks.set(p.documentLine, (marks.get(p.documentLine) ? marks.get(p.documentLine) + '\n' : '') + p.text);
      paint();
    },
    goTo(line, column) {
      const lines = area.value.split('\n');
      let offset = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
      offset += Math.max(0, column - 1);
      area.focus();
      area.setSelectionRange(offset, offset + 1);
      area.scrollTop = Math.max(0, (line - 5) * 18);
    }
  };
}

function problemList(problems, ed) {
  return h('div', {class: 'panel problems', id: 'policy-problems', role: 'alert'},
    h('strong', {}, problems.length === 1 ? '1 problem: nothing was saved' : problems.length + ' problems: nothing was saved'),
    h('ul', {}, problems.map(p => h('li', {
      class: 'problem', 'data-field': p.field, 'data-rule': p.rule || null,
      'data-line': p.documentLine || null, 'data-column': p.documentColumn || null,
      onclick: () => p.documentLine && ed.goTo(p.documentLine, p.documentColumn)},
      p.documentLine ? h('span', {class: 'mono'}, 'line ' + p.documentLine + ', column ' + p.documentColumn + ' · ') : null,
      p.rule ? h('strong', {}, 'rule ' + p.rule + ' · ') : null,
      h('code', {}, p.field || 'policy'),
      p.line ? ' (expression line ' + p.line + ', column ' + p.column + ')' : '',
      ': ' + p.message))));
}

function testResults(tests) {
  if (!tests || tests.length === 0) return h('p', {class: 'note'}, 'The policy has no tests section.');
  return h('table', {id: 'test-results'}, h('tr', {}, h('th', {}, 'Test'), h('th', {}, 'Result'), h('th', {}, 'Differences')),
    tests.map(t => h('tr', {class: t.passed ? null : 'flag'}, h('td', {}, t.name),
      h('td', {class: t.passed ? 'allow' : 'deny'}, t.passed ? 'passed' : 'failed'),
      h('td', {}, (t.differences || []).join('; ')))));
}

function diffView(diff) {
  const lines = Array.isArray(diff) ? diff : String(diff).split('\n');
  return h('pre', {class: 'diff'}, lines.map(l =>
    h('span', {class: l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : null},
      l + '\n')));
}

const NEW_POLICY = '{\n  "rules": [\n    {"name": "example", "match": "grant.type == \\"client_credentials\\"",\n'
  + '     "allowIf": "true", "reason": "not_allowed"}\n  ],\n  "tests": []\n}\n';

async function policiesView(selected) {
  const list = await api('GET', '/mintgate/policies');
  if (!list.ok) { show(problemPanel('Cannot list stored policies', [errorText(list)])); return; }
  const names = list.body.map(p => p.name);
  const name = selected || names[0];
  const entries = (policies) => policies.map(p => h('li', {}, h('a', {href: '#policies/' + encodeURIComponent(p.name)},
    p.name === name ? h('strong', {}, p.name) : p.name), h('div', {class: 'note mono'}, (p.version || '') + ' · ' + p.versions + ' version(s)')));
  const sideList = h('ul', {}, entries(list.body));
  const side = h('div', {class: 'side'}, h('h3', {}, 'Stored policies'), sideList,
    h('form', {id: 'new-policy', onsubmit: e => { e.preventDefault(); const n = $('#new-policy-name').value.trim(); if (n) location.hash = '#policies/' + encodeURIComponent(n) + '?new'; }},
      h('input', {type: 'text', id: 'new-policy-name', placeholder: 'new policy name'}), ' ', h('button', {}, 'New')));
  if (!name) { show(h('div', {class: 'row'}, side, h('div', {class: 'col'}, h('p', {class: 'note'}, 'The realm has no stored policy yet: name one to create it.')))); return; }
  const isNew = !names.includes(name.replace(/\?new$/, ''));
  const policyName = name.replace(/\?new$/, '');
  const current = isNew ? {body: {policy: NEW_POLICY, version: null}} : await api('GET', '/mintgate/policies/' + encodeURIComponent(policyName));
  const ed = editor(current.body.policy);
  const result = h('div', {id: 'save-result'});
  const versions = h('div', {id: 'versions'});
  const save = async () => {
    result.replaceChildren(h('p', {class: 'note'}, 'Saving…'));
    const r = await api('PUT', '/mintgate/policies/' + encodeURIComponent(policyName), {policy: ed.area.value});
    if (r.status === 400 && r.body && r.body.problems) {
      ed.mark(r.body.problems);
      result.replaceChildren(problemList(r.body.problems, ed), h('h3', {}, 'Test results'), testResults(r.body.tests));
      const first = r.body.problems.find(p => p.documentLine);
      if (first) ed.goTo(first.documentLine, first.documentColumn);
      return;
    }
    if (!r.ok) { result.replaceChildren(problemPanel('Not saved', [errorText(r)])); return; }
    ed.mark([]);
    result.replaceChildren(h('div', {class: 'panel ok', id: 'saved'}, 'Saved ', h('code', {}, r.body.version),
      r.body.created ? ' (new policy)' : ''), h('h3', {}, 'Test results'), testResults(r.body.tests));
    if (isNew) { location.hash = '#policies/' + encodeURIComponent(policyName); return; }
    const now = await api('GET', '/mintgate/policies');
    if (now.ok) sideList.replaceChildren(...entries(now.body));
    loadVersions();
  };
  const loadVersions = async () => {
    if (isNew) { versions.replaceChildren(); return; }
    const v = await api('GET', '/mintgate/policies/' + encodeURIComponent(policyName) + '/versions');
    if (!v.ok) { versions.replaceChildren(problemPanel('Cannot read versions', [errorText(v)])); return; }
    const diff = h('div', {id: 'diff'});
    versions.replaceChildren(h('h3', {}, 'Versions'), h('table', {id: 'versions-table'},
      h('tr', {}, h('th', {}, 'Version'), h('th', {}, 'Saved'), h('th', {}, 'By (user id)'), h('th', {}, 'Client'), h('th', {}, '')),
      v.body.map(x => h('tr', {}, h('td', {class: 'mono'}, x.version, x.current ? ' (current)' : ''), h('td', {}, x.savedAt),
        h('td', {class: 'mono'}, x.savedBy || ''), h('td', {}, x.client || ''),
        h('td', {}, x.current ? '' : [
          h('button', {type: 'button', class: 'diff', onclick: async () => {
            const d = await api('GET', '/mintgate/policies/' + encodeURIComponent(policyName) + '/diff?from=' + encodeURIComponent(x.version));
            diff.replaceChildren(d.ok ? diffView(d.body.diff) : problemPanel('No diff', [errorText(d)]));
          }}, 'Diff to current'), ' ',
          h('button', {type: 'button', class: 'rollback', onclick: async () => {
            if (!confirm('Save version ' + x.version + ' again as the current text?')) return;
            const r = await api('POST', '/mintgate/policies/' + encodeURIComponent(policyName) + '/versions/' + encodeURIComponent(x.version) + '/rollback');
            if (!r.ok) { diff.replaceChildren(problemPanel('Not rolled back', [errorText(r)])); return; }
            route();
          }}, 'Roll back')])))), diff);
  };
  show(h('div', {class: 'row'}, side, h('div', {class: 'col'},
    h('h2', {}, 'Policy ', h('code', {}, policyName), isNew ? ' (new)' : ''),
    h('p', {class: 'note'}, current.body.version ? 'Current version ' + current.body.version + '. ' : '',
      'The document of policy-reference.md: rules, tests. Saving runs the compiler and the tests; a problem is marked at its line.'),
    ed.box, h('p', {}, h('button', {type: 'button', class: 'primary', id: 'save-policy', onclick: save}, 'Save'), ' ',
      h('a', {href: '#simulator'}, 'Simulate with this text as a draft')),
    result, versions)));
  sessionStorage.setItem('mintgate.draft', '');
  ed.area.addEventListener('input', () => sessionStorage.setItem('mintgate.draft', ed.area.value));
  loadVersions();
}

// ---------------------------------------------------------------- simulator (and replay when the server has it)
function table(rows, columns) {
  return h('table', {}, h('tr', {}, columns.map(c => h('th', {}, c))),
    rows.map(r => h('tr', {}, columns.map(c => h('td', {}, typeof r[c] === 'object' && r[c] !== null ? JSON.stringify(r[c]) : (r[c] ?? ''))))));
}

// Every grant POST .../mintgate/simulate answers (docs/changing-policy.md, "The simulator"), as the client sends it,
// with the request members that apply to it. The server is the judge of every member: its 400 names the member.
const SIM_GRANTS = [
  ['client_credentials', 'Client credentials', ['serviceAccount']],
  ['password', 'Password', ['subject']],
  ['authorization_code', 'Authorization code', ['subject']],
  ['refresh_token', 'Refresh token', ['subject']],
  ['urn:ietf:params:oauth:grant-type:device_code', 'Device authorization', ['subject']],
  ['urn:openid:params:grant-type:ciba', 'CIBA', ['subject']],
  ['urn:ietf:params:oauth:grant-type:token-exchange', 'Token exchange', ['subject', 'audience', 'requestedTokenType', 'actor']],
  ['urn:ietf:params:oauth:grant-type:jwt-bearer', 'JWT authorization grant', ['subject', 'federated']],
  ['urn:ietf:params:oauth:grant-type:uma-ticket', 'UMA', ['subject', 'umaAudience']],
  ['urn:ietf:params:oauth:grant-type:pre-authorized_code', 'OID4VCI pre-authorized code', ['subject', 'credentialConfigurationId', 'noScope']]];

const words = text => text.split(/[\s,]+/).filter(Boolean);

// A form field: a label, its input, and the place where the endpoint's refusal of that member is shown.
function simField(field, label, input, help) {
  return h('div', {class: 'sim-field', 'data-field': field}, h('label', {}, label + ' ', input),
    help ? h('span', {class: 'note'}, help) : null);
}

function simulationRequest(f, draft) {
  const grant = SIM_GRANTS.find(g => g[0] === f.grantType.value);
  const has = k => grant[2].includes(k);
  const v = name => f[name].value.trim();
  const body = {clientId: v('clientId'), grantType: grant[0]};
  if (!has('noScope') && v('scope')) body.scope = v('scope');
  if (v('resource')) body.resource = words(v('resource'));
  if (has('subject')) {
    if (has('federated') && f.subjectBy.value === 'federated') {
      body.subject = {identityProvider: v('identityProvider'), federatedSubject: v('federatedSubject')};
    } else if (v('subject')) {
      body.subject = {[f.subjectBy.value === 'id' ? 'id' : 'username']: v('subject')};
    }
  }
  if (has('audience') && v('audience')) { const a = words(v('audience')); body.audience = a.length === 1 ? a[0] : a; }
  if (has('umaAudience') && v('umaAudience')) body.audience = v('umaAudience');
  if (has('requestedTokenType') && f.requestedTokenType.value) body.requestedTokenType = f.requestedTokenType.value;
  if (has('credentialConfigurationId') && v('credentialConfigurationId')) body.credentialConfigurationId = v('credentialConfigurationId');
  // context: the facts a call cannot carry, as a policy test's request states them
  const context = {};
  const put = (path, value) => {
    if (value === '' || value === undefined) return;
    const keys = path.split('.');
    let at = context;
    for (const k of keys.slice(0, -1)) at = at[k] = at[k] || {};
    at[keys[keys.length - 1]] = value;
  };
  const json = (name, field) => {
    if (!v(name)) return undefined;
    try { return JSON.parse(v(name)); } catch (x) { throw {field, message: field + ': not JSON: ' + x.message}; }
  };
  const extra = json('moreContext', 'context');
  if (extra !== undefined && (typeof extra !== 'object' || Array.isArray(extra))) {
    throw {field: 'context', message: 'context: a JSON object'};
  }
  Object.assign(context, extra || {});
  put('time', v('time'));
  put('network.sourceAddress', v('sourceAddress'));
  put('network.tlsClientCertThumbprint', v('tlsClientCertThumbprint'));
  put('network.dpopThumbprint', v('dpopThumbprint'));
  if (has('actor')) { put('actor.clientId', v('actorClientId')); put('actor.subject', v('actorSubject')); }
  put('workload.issuer', v('workloadIssuer'));
  put('workload.subject', v('workloadSubject'));
  put('workload.claims', json('workloadClaims', 'context.workload.claims'));
  put('organization.alias', v('organizationAlias'));
  put('organization.id', v('organizationId'));
  if (Object.keys(context).length) body.context = context;
  if (f.useDraft.checked && draft) body.policy = draft;
  body.callPdps = f.callPdps.checked;
  return body;
}

// The field a refusal names: the endpoint's messages start with the member ("audience: ...", "context: 'network.x': ...").
function simulationErrorField(form, message) {
  const member = (message.match(/^([A-Za-z]+):/) || [])[1];
  if (!member) return null;
  if (member === 'context') {
    const path = (message.match(/^context: '([^']+)'/) || message.match(/member '([^']+)'/) || [])[1];
    const byPath = path && form.querySelector('.sim-field[data-context="' + path.replace(/\.claims\..*/, '.claims') + '"]');
    return byPath || form.querySelector('.sim-field[data-field="context"]');
  }
  if (member === 'audience') {
    return form.querySelector('.sim-field[data-field="' + (form.grantType.value.endsWith('uma-ticket') ? 'umaAudience' : 'audience') + '"]');
  }
  return form.querySelector('.sim-field[data-field="' + member + '"]');
}

function showSimulationError(form, answer, field, message, status) {
  for (const e of form.querySelectorAll('.field-error')) e.remove();
  const at = field ? form.querySelector('.sim-field[data-field="' + field + '"]') : simulationErrorField(form, message);
  if (at) at.append(h('span', {class: 'field-error', role: 'alert'}, message));
  answer.replaceChildren(h('div', {class: 'panel problems', role: 'alert', id: 'simulation-error',
    'data-field': at ? at.dataset.field : ''},
    h('strong', {}, 'Not simulated' + (status ? ' (HTTP ' + status + ')' : '')),
    h('pre', {class: 'message'}, message)));
}

const list = v => Array.isArray(v) ? v.join(' ') : (v ?? '');
const TOKEN_MEMBERS = [
  ['scopes', 'Scopes', list], ['audiences', 'Audiences', list], ['realmRoles', 'Realm roles', list],
  ['clientRoles', 'Client roles', v => Object.entries(v || {}).map(([c, r]) => c + ': ' + r.join(' ')).join('; ')],
  ['accessTokenLifetime', 'Access token lifetime (s)', v => v ?? ''],
  ['refreshToken', 'Refresh token', v => v === undefined ? '' : (v ? 'yes' : 'no')],
  ['refreshTokenType', 'Refresh token type', v => v ?? ''],
  ['refreshTokenLifetime', 'Refresh token lifetime (s)', v => v ?? ''],
  ['claims', 'Other claims', v => Object.keys(v || {}).length ? JSON.stringify(v) : '']];

function tokenTable(after, before) {
  return h('table', {id: 'simulation-token'},
    h('tr', {}, ['', 'Before narrowing', 'After narrowing'].map(t => h('th', {}, t))),
    TOKEN_MEMBERS.map(([member, label, text]) => {
      const a = after ? text(after[member]) : '';
      const b = before ? text(before[member]) : '';
      // not claims: the answer's `before.claims` leaves out standard claims (email, name...) that `token.claims` lists
      return h('tr', {'data-member': member, class: after && member !== 'claims' && a !== b ? 'changed' : null},
        h('th', {}, label), h('td', {class: 'before mono'}, b), h('td', {class: 'after mono'}, after ? a : '—'));
    }));
}

function traceTable(trace) {
  return h('table', {class: 'trace'},
    h('tr', {}, ['Rule', 'Mode', 'Result', 'Reason', 'Message', 'Failed at', 'Detail'].map(t => h('th', {}, t))),
    trace.map(t => h('tr', {'data-rule': t.rule, 'data-result': t.result, 'data-reason': t.reason || '',
      class: t.result === 'denied' || (t.result === 'error' && t.refused) ? 'flag' : null},
      h('td', {class: 'mono'}, t.rule), h('td', {}, t.mode || ''),
      h('td', {class: t.result === 'denied' ? 'deny' : t.result === 'allowed' ? 'allow' : t.result === 'shadow_denied' ? 'conditional' : ''}, t.result),
      h('td', {class: 'mono'}, t.reason || ''), h('td', {}, t.message || ''),
      h('td', {}, t.failed ? [h('code', {}, t.failed.field), t.failed.expression ? [' ', h('code', {class: 'expr'}, t.failed.expression)] : ''] : ''),
      h('td', {}, t.detail || '', t.result === 'error' ? (t.refused ? ' (refused)' : ' (skipped)') : ''))));
}

function simulationAnswer(a) {
  const parts = [h('div', {class: 'panel ' + (a.outcome === 'deny' ? 'problems' : 'ok'), id: 'simulation-outcome',
    'data-outcome': a.outcome, 'data-rule': a.rule || '', 'data-reason': a.reason || ''},
    h('span', {class: a.outcome}, a.outcome === 'deny' ? 'Refused' : 'Allowed'),
    a.reason ? [' · reason ', h('code', {}, a.reason)] : '', a.rule ? [' · rule ', h('code', {}, a.rule)] : '',
    a.message ? ' · ' + a.message : '', a.policyVersion ? [' · version ', h('code', {}, a.policyVersion)] : '',
    ' · policy source ' + (a.policySource || ''))];
  const policies = a.policies || [];
  parts.push(h('h3', {}, 'Policies that decided'));
  if (!policies.length) parts.push(h('p', {class: 'note', id: 'simulation-no-policy'}, 'No Mintgate policy applies to this client on this grant: the live path mints without a decision.'));
  for (const p of policies) {
    const name = p.name || p.clientPolicy || 'draft';
    parts.push(h('div', {class: 'panel sim-policy', 'data-policy': name},
      h('strong', {}, name), p.profile ? ' · profile ' + p.profile : '', p.storedPolicy ? [' · stored policy ', h('code', {}, p.storedPolicy)] : '',
      p.policyVersion ? [' · version ', h('code', {}, p.policyVersion)] : '', ' · ',
      h('span', {class: p.outcome}, p.outcome), p.reason ? [' · ', h('code', {}, p.reason)] : '', p.rule ? [' · rule ', h('code', {}, p.rule)] : '',
      p.note ? h('div', {class: 'note'}, p.note) : null,
      (p.findings || []).length ? h('ul', {class: 'findings'}, p.findings.map(x => h('li', {},
        h('code', {}, x.rule), ' ' + (x.mode || '') + ' ' + (x.reason || '') + (x.error ? ' error: ' + x.error : '') + (x.detail ? ' — ' + x.detail : '')))) : null,
      Array.isArray(p.trace) ? [h('div', {class: 'note'}, 'Rule trace'), traceTable(p.trace)] : null,
      p.obligations && Object.keys(p.obligations).length ? [h('div', {class: 'note'}, 'Obligations'), json(p.obligations)] : null));
  }
  if (Array.isArray(a.trace)) parts.push(h('h3', {}, 'Rule trace'), traceTable(a.trace));
  if (a.obligations && Object.keys(a.obligations).length) parts.push(h('h3', {}, 'Combined obligations'), json(a.obligations));
  if (a.token || a.before) {
    parts.push(h('h3', {}, a.token ? 'Token' : 'Token (not minted: refused)'), tokenTable(a.token, a.before));
  }
  if (a.narrowed && a.outcome === 'allow') {
    const n = Array.isArray(a.narrowed) ? a.narrowed : [a.narrowed];
    parts.push(h('p', {id: 'simulation-narrowed'}, 'Narrowing removed: ', n.length ? n.map(x => [h('code', {}, x), ' ']) : 'nothing'));
  }
  const c = a.context || {};
  parts.push(h('h3', {}, 'Facts the decision used'), h('table', {id: 'simulation-facts'},
    [['Time', c.time], ['Event', c.event], ['Grant', c.grant && [c.grant.type, 'scopes: ' + list(c.grant.scopes),
      'audiences: ' + list(c.grant.audiences), 'resources: ' + list(c.grant.resources)].join(' · ')],
     ['Subject', c.subject && [c.subject.username, c.subject.id, c.subject.serviceAccount ? '(service account)' : ''].filter(Boolean).join(' ')],
     ['Identity (NHI)', c.nhi && (c.nhi.owner ? 'owner ' + c.nhi.owner + (c.nhi.ownerExists ? '' : ' (no such user)')
       + (c.nhi.ownerEnabled ? '' : ' (disabled)') : 'no owner') + (c.nhi && c.nhi.expiresAt ? ' · expires ' + c.nhi.expiresAt : '')],
     ['Budgets', a.budgets], ['PDPs', a.pdps]].map(([k, val]) => h('tr', {}, h('th', {}, k), h('td', {}, val ?? '')))));
  parts.push(h('details', {id: 'simulation-json'}, h('summary', {}, 'Full answer (JSON)'), json(a)));
  return parts;
}

async function simulatorView() {
  const draft = sessionStorage.getItem('mintgate.draft');
  const answer = h('div', {id: 'simulation'});
  const input = (name, attrs) => h('input', Object.assign({type: 'text', name}, attrs || {}));
  const form = h('form', {id: 'simulate-form', novalidate: true, onsubmit: async e => {
    e.preventDefault();
    const f = e.target;
    for (const x of f.querySelectorAll('.field-error')) x.remove();
    let body;
    try { body = simulationRequest(f, draft); } catch (x) { showSimulationError(f, answer, null, x.message); return; }
    if (!body.clientId) { showSimulationError(f, answer, 'clientId', 'clientId: required'); return; }
    const r = await api('POST', '/mintgate/simulate', body);
    if (!r.ok) { showSimulationError(f, answer, null, errorText(r), r.status); return; }
    answer.replaceChildren(...simulationAnswer(r.body));
  }},
    h('fieldset', {}, h('legend', {}, 'Request'),
      simField('clientId', 'Client', input('clientId', {required: true})),
      simField('grantType', 'Grant', h('select', {name: 'grantType'}, SIM_GRANTS.map(([g, label]) => h('option', {value: g}, label + ' (' + g + ')')))),
      simField('scope', 'Scope', input('scope', {placeholder: 'read write'})),
      simField('resource', 'Resource', input('resource', {class: 'wide', placeholder: 'https://api.example (space-separated)'})),
      h('div', {class: 'sim-field', 'data-field': 'serviceAccount'}, h('span', {class: 'note'}, 'Subject: the client\'s service account.')),
      simField('subject', 'Subject', [h('select', {name: 'subjectBy'},
        h('option', {value: 'username'}, 'by username'), h('option', {value: 'id'}, 'by user id'),
        h('option', {value: 'federated', class: 'federated-only'}, 'by identity provider link')), ' ', input('subject')]),
      simField('federated', 'Identity provider', [input('identityProvider', {placeholder: 'alias'}),
        ' federated subject ', input('federatedSubject', {placeholder: 'the assertion\'s sub'})]),
      simField('audience', 'Audience', input('audience', {class: 'wide', placeholder: 'client ids, space-separated'}), 'the exchange\'s audience parameters'),
      simField('umaAudience', 'Resource server', input('umaAudience'), 'client id of the resource server (required)'),
      simField('requestedTokenType', 'Requested token type', h('select', {name: 'requestedTokenType'},
        h('option', {value: ''}, 'not given (access token)'),
        h('option', {value: 'urn:ietf:params:oauth:token-type:access_token'}, 'access token'),
        h('option', {value: 'urn:ietf:params:oauth:token-type:refresh_token'}, 'refresh token'))),
      simField('credentialConfigurationId', 'Credential configuration id', input('credentialConfigurationId'), 'the offer\'s credential (required)')),
    h('fieldset', {}, h('legend', {}, 'Context: what the call cannot carry'),
      h('div', {class: 'sim-field', 'data-field': 'context-time', 'data-context': 'time'}, h('label', {}, 'Time ', input('time', {placeholder: 'now, or e.g. 2026-03-01T12:00:00Z', size: 30}))),
      h('div', {class: 'sim-field', 'data-field': 'context-network', 'data-context': 'network.sourceAddress'},
        h('label', {}, 'Source address ', input('sourceAddress', {placeholder: 'e.g. 10.1.2.3'}))),
      h('div', {class: 'sim-field', 'data-field': 'context-mtls', 'data-context': 'network.tlsClientCertThumbprint'},
        h('label', {}, 'mTLS certificate thumbprint ', input('tlsClientCertThumbprint', {class: 'wide'}))),
      h('div', {class: 'sim-field', 'data-field': 'context-dpop', 'data-context': 'network.dpopThumbprint'},
        h('label', {}, 'DPoP key thumbprint ', input('dpopThumbprint', {class: 'wide'}))),
      h('div', {class: 'sim-field', 'data-field': 'actor', 'data-context': 'actor'},
        h('label', {}, 'Actor client ', input('actorClientId')), h('label', {}, ' actor subject ', input('actorSubject'))),
      h('div', {class: 'sim-field', 'data-field': 'context-workload', 'data-context': 'workload'},
        h('label', {}, 'Workload issuer ', input('workloadIssuer', {class: 'wide'})), h('label', {}, ' subject ', input('workloadSubject', {class: 'wide'}))),
      h('div', {class: 'sim-field', 'data-field': 'context.workload.claims', 'data-context': 'workload.claims'},
        h('label', {}, 'Workload claims (JSON object) ', h('textarea', {name: 'workloadClaims', rows: 2, cols: 60, class: 'mono', placeholder: '{"repository": "acme/app"}'}))),
      h('div', {class: 'sim-field', 'data-field': 'context-organization', 'data-context': 'organization'},
        h('label', {}, 'Organization alias ', input('organizationAlias')), h('label', {}, ' id ', input('organizationId'))),
      h('div', {class: 'sim-field', 'data-field': 'context'},
        h('label', {}, 'More context (JSON, the fields above win) ', h('textarea', {name: 'moreContext', rows: 2, cols: 60, class: 'mono', placeholder: '{"actor": {"prior": [...]}}'})))),
    h('fieldset', {}, h('legend', {}, 'Policy'),
      h('div', {class: 'sim-field', 'data-field': 'policy'},
        h('label', {}, h('input', {type: 'checkbox', name: 'useDraft', disabled: !draft}), ' decide with the editor\'s unsaved text (draft)')),
      h('label', {}, h('input', {type: 'checkbox', name: 'callPdps'}), ' call AuthZEN PDPs')),
    h('button', {class: 'primary', id: 'simulate'}, 'Simulate'));
  const applies = () => {
    const grant = SIM_GRANTS.find(g => g[0] === form.grantType.value);
    const has = k => grant[2].includes(k);
    const federated = has('federated') && form.subjectBy.value === 'federated';
    const visible = {serviceAccount: has('serviceAccount'), subject: has('subject'), federated,
      audience: has('audience'), umaAudience: has('umaAudience'), requestedTokenType: has('requestedTokenType'),
      credentialConfigurationId: has('credentialConfigurationId'), scope: !has('noScope'), actor: has('actor')};
    for (const [field, shown] of Object.entries(visible)) form.querySelector('.sim-field[data-field="' + field + '"]').hidden = !shown;
    form.subject.hidden = federated;
    form.querySelector('option.federated-only').hidden = !has('federated');
    if (!has('federated') && form.subjectBy.value === 'federated') form.subjectBy.value = 'username';
    for (const x of form.querySelectorAll('.field-error')) x.remove();
  };
  form.grantType.addEventListener('change', applies);
  form.subjectBy.addEventListener('change', applies);
  applies();
  const replay = h('div', {id: 'replay'});
  const replayButton = h('button', {type: 'button', disabled: !draft, onclick: async () => {
    const r = await api('POST', '/mintgate/replay', {policy: draft});
    replay.replaceChildren(r.status === 404 || r.status === 405
      ? h('p', {class: 'note'}, 'This server has no impact replay (POST .../mintgate/replay).')
      : (r.ok ? replayReport(r.body) : problemPanel('Replay failed', [errorText(r)])));
  }}, 'Replay recorded decisions against the draft');
  show(h('h2', {}, 'Simulator'), h('p', {class: 'note'}, 'What the live token path would decide and mint; nothing is minted or recorded. ',
    'The form is POST /admin/realms/' + realm + '/mintgate/simulate; fields that do not apply to the grant are hidden and not sent.'),
    form, answer, h('h3', {}, 'Impact replay'), replayButton, replay);
}

// The impact-replay report (docs/changing-policy.md, "Replay") as tables; decision ids open the decision search.
function decisionLinks(ids) {
  return (ids || []).map(id => h('a', {href: '#decisions/' + encodeURIComponent(id), class: 'decision-link mono', 'data-decision': id}, id));
}
function countCell(n, cls) {
  return h('td', {class: 'count' + (n ? ' ' + cls : ''), 'data-count': String(n || 0)}, String(n || 0));
}
function reasonsText(reasons) {
  return Object.entries(reasons || {}).map(([k, v]) => k + ': ' + v).join('; ');
}
function replayReport(rep) {
  const buckets = [
    ['allowToDeny', 'Allowed then, refused by the draft', 'deny'],
    ['denyToAllow', 'Refused then, allowed by the draft', 'allow'],
    ['narrowingChanged', 'Allowed by both, narrowed differently', 'conditional'],
    ['notReplayable', 'Not replayable', 'conditional'],
    ['skipped', 'Skipped', '']];
  const totals = h('table', {id: 'replay-totals'},
    h('tr', {}, ['', 'Records', 'Example decisions', 'Why'].map(t => h('th', {}, t))),
    h('tr', {'data-bucket': 'records'}, h('td', {}, 'Records read'), countCell(rep.records, ''), h('td'), h('td')),
    h('tr', {'data-bucket': 'replayed'}, h('td', {}, 'Decided again'), countCell(rep.replayed, ''), h('td'), h('td')),
    h('tr', {'data-bucket': 'unchanged'}, h('td', {}, 'Unchanged'), countCell(rep.unchanged, ''), h('td'), h('td')),
    buckets.map(([member, label, cls]) => {
      const b = rep[member] || {};
      return h('tr', {'data-bucket': member, class: member === 'allowToDeny' && b.count ? 'flag' : null},
        h('td', {}, label), countCell(b.count, cls), h('td', {}, decisionLinks(b.examples).flatMap(a => [a, ' '])),
        h('td', {}, member === 'narrowingChanged' ? reasonsText(b.obligations) : reasonsText(b.reasons)));
    }));
  const ruleColumns = [['allowToDeny', 'allowed → refused', 'deny'], ['denyToAllow', 'refused → allowed', 'allow'],
    ['notReplayable', 'not replayable', 'conditional']];
  const clientColumns = [...ruleColumns.slice(0, 2), ['narrowingChanged', 'narrowing changed', 'conditional'],
    ruleColumns[2], ['unchanged', 'unchanged', '']];
  const byTable = (id, key, label, entries, columns) => h('table', {id},
    h('tr', {}, [label, ...columns.map(c => c[1])].map(t => h('th', {}, t))),
    entries.length ? entries.map(([name, counts]) => h('tr', {[key]: name, class: counts.allowToDeny ? 'flag' : null},
      h('td', {class: 'mono'}, name), columns.map(([member, , cls]) => countCell(counts[member], cls))))
      : h('tr', {}, h('td', {colspan: columns.length + 1, class: 'note'}, 'none')));
  const span = [rep.from ? 'from ' + rep.from : '', rep.to ? 'to ' + rep.to : ''].filter(Boolean).join(' ') || 'the whole trail';
  return h('div', {id: 'replay-report'},
    h('p', {class: 'note'}, 'Draft ', h('code', {}, rep.policyVersion || ''), ' replayed over ' + span
      + (rep.realm ? ' of realm ' + rep.realm : '') + ' (this node\'s audit file). Example decisions open the decision search.'),
    h('h3', {}, 'Totals'), totals,
    h('h3', {}, 'Changes per rule'), byTable('replay-by-rule', 'data-rule', 'Rule', Object.entries(rep.byRule || {}), ruleColumns),
    h('h3', {}, 'Changes per client'), byTable('replay-by-client', 'data-client', 'Client', Object.entries(rep.byClient || {}), clientColumns),
    h('details', {}, h('summary', {}, 'Full answer (JSON)'), json(rep)));
}

// ---------------------------------------------------------------- inventory
async function inventoryView() {
  const out = h('div', {id: 'inventory'});
  const form = h('form', {id: 'inventory-filters', onsubmit: e => { e.preventDefault(); load(); }},
    h('label', {}, 'Client ', h('input', {type: 'text', name: 'client'})),
    h('label', {}, 'Path ', h('input', {type: 'text', name: 'path', placeholder: 'e.g. client_credentials'})),
    h('label', {}, 'Finding ', h('input', {type: 'text', name: 'finding'})),
    h('label', {}, h('input', {type: 'checkbox', name: 'uncovered'}), ' only clients with uncovered paths'),
    h('button', {class: 'primary'}, 'Filter'));
  const load = async () => {
    const q = new URLSearchParams();
    for (const k of ['client', 'path', 'finding']) if (form[k].value.trim()) q.set(k, form[k].value.trim());
    if (form.uncovered.checked) q.set('uncovered', 'true');
    const r = await api('GET', '/mintgate/surface?' + q);
    if (!r.ok) { out.replaceChildren(problemPanel('Cannot read the inventory', [errorText(r)])); return; }
    const s = r.body.summary || {};
    const rows = [];
    for (const c of r.body.clients) {
      const paths = c.paths || [];
      const findings = c.findings || [];
      const span = Math.max(1, paths.length);
      paths.forEach((p, i) => rows.push(h('tr', {class: p.coverage === 'uncovered' ? 'flag' : null, 'data-client': c.clientId, 'data-path': p.path, 'data-coverage': p.coverage},
        i === 0 ? h('td', {rowspan: span}, h('strong', {}, c.clientId), h('div', {class: 'note'}, c.accessType || '')) : null,
        h('td', {}, p.path), h('td', {class: p.coverage}, p.coverage),
        h('td', {}, (p.policies || []).map(x => (x.clientPolicy + (x.storedPolicy ? ' → ' + x.storedPolicy : '') + (x.always ? '' : ' (conditional)'))).join(', ')),
        i === 0 ? h('td', {rowspan: span, class: 'findings'}, findings.map(f => h('div', {class: 'finding ' + f.severity}, h('strong', {}, f.severity + ' ' + f.id), ': ' + f.message))) : null,
        i === 0 ? h('td', {rowspan: span}, c.owner ? h('span', {class: 'mono'}, c.owner) : h('span', {class: 'note'}, 'no owner')) : null)));
      if (paths.length === 0) rows.push(h('tr', {}, h('td', {}, c.clientId), h('td', {colspan: 3, class: 'note'}, 'no grant path'), h('td', {}, findings.map(f => f.id).join(', ')), h('td', {}, c.owner || '')));
    }
    out.replaceChildren(h('p', {id: 'inventory-summary'}, s.clients + ' clients, ' + s.paths + ' paths, ',
        h('span', {class: 'uncovered'}, s.uncoveredPaths + ' uncovered'), ', ', h('span', {class: 'conditional'}, s.conditionalPaths + ' conditional'),
        ', ' + s.findings + ' findings'),
      h('table', {id: 'inventory-table'}, h('tr', {}, ['Client', 'Path', 'Coverage', 'Decided by', 'Posture findings', 'Owner'].map(t => h('th', {}, t))), rows));
  };
  show(h('h2', {}, 'Issuance surface'), h('p', {class: 'note'}, 'Every grant path of every client, which policy decides it, and what is risky.'), form, out);
  load();
}

// ---------------------------------------------------------------- recent decisions
async function decisionsView(id) {
  const out = h('div', {id: 'decisions'});
  const form = h('form', {id: 'decision-search', onsubmit: e => { e.preventDefault(); load(); }},
    h('label', {}, 'Decision id ', h('input', {type: 'text', name: 'decisionId', class: 'wide', value: id || null})),
    h('label', {}, 'Client ', h('input', {type: 'text', name: 'clientId'})),
    h('label', {}, 'Outcome ', h('select', {name: 'outcome'}, [['refused,shadow', 'refusals and shadow denials'], ['refused', 'refusals'],
      ['shadow', 'shadow denials'], ['allow', 'allowed'], ['all', 'all']].map(([v, t]) => h('option', {value: v}, t)))),
    h('button', {class: 'primary', id: 'search-decisions'}, 'Search'));
  const load = async () => {
    const q = new URLSearchParams({max: '100'});
    if (form.decisionId.value.trim()) q.set('decisionId', form.decisionId.value.trim());
    if (form.clientId.value.trim()) q.set('clientId', form.clientId.value.trim());
    q.set('outcome', form.outcome.value);
    const r = await api('GET', '/mintgate/decisions?' + q);
    if (!r.ok) { out.replaceChildren(problemPanel('Cannot read decisions', [errorText(r)])); return; }
    const d = r.body.decisions;
    out.replaceChildren(
      r.body.eventsEnabled ? '' : h('div', {class: 'panel warn'}, 'This realm does not save events (Realm settings → Events → User events settings): no decision is kept to show.'),
      h('p', {class: 'note'}, d.length + ' decision(s); ' + r.body.scanned + ' stored event(s) read' + (r.body.complete ? ' (all)' : ' (the newest: narrow by client for older ones)') + '.'),
      h('table', {id: 'decisions-table'}, h('tr', {}, ['Time', 'Client', 'Subject', 'Outcome', 'Rule', 'Reason', 'Message / shadow denials', 'Decision id'].map(t => h('th', {}, t))),
        d.map(x => h('tr', {class: x.outcome === 'deny' ? 'flag' : null, 'data-decision': x.decisionId},
          h('td', {}, x.time), h('td', {}, x.clientId || ''), h('td', {class: 'mono'}, x.userId || ''),
          h('td', {class: x.outcome}, x.outcome + (x.mode ? ' (' + x.mode + ')' : '')), h('td', {}, x.rule || ''), h('td', {}, x.reason || ''),
          h('td', {}, x.message || '', x.shadowDenials ? h('div', {class: 'conditional'}, 'shadow: ' + x.shadowDenials) : '', x.ruleErrors ? h('div', {class: 'deny'}, 'errors: ' + x.ruleErrors) : ''),
          h('td', {class: 'mono'}, x.decisionId)))));
  };
  if (id) form.outcome.value = 'all';  // a decision looked up by its id is shown whatever its outcome
  show(h('h2', {}, 'Recent decisions'), h('p', {class: 'note'}, 'From Keycloak\'s event store. A refused client quotes the decision id from its error.'), form, out);
  load();
}

// ---------------------------------------------------------------- identities and owners
function decisionText(d) {
  if (!d) return '';
  return h('span', {}, h('span', {class: d.outcome}, d.outcome === 'deny' ? 'refused' : 'allowed'),
    d.rule ? [' · rule ', h('code', {}, d.rule)] : '', d.reason ? [' · reason ', h('code', {}, d.reason)] : '',
    d.message ? ' · ' + d.message : '');
}
// What disabling the user would do, as the simulator decides it (GET .../owners/{id}/disable-impact).
function disableImpact(impact) {
  const t = impact.totals;
  const sessions = x => x.activeSessions + ' active, ' + x.offlineSessions + ' offline';
  return h('div', {id: 'disable-impact'},
    h('h3', {}, 'If this user is disabled'),
    h('p', {id: 'disable-impact-totals'}, h('span', {class: t.refused ? 'deny' : null}, t.refused + ' identit' + (t.refused === 1 ? 'y' : 'ies') + ' refused'),
      ', ' + t.alreadyRefused + ' already refused, ' + t.stillAllowed + ' still allowed, ' + t.notEvaluated + ' not evaluated; sessions: '
      + sessions(t) + (impact.revokeOnDisable ? ', revoked (offboarding revocation is on)' : ', not revoked (offboarding revocation is off): they stay valid until they expire')),
    h('table', {id: 'disable-impact-table'},
      h('tr', {}, ['Identity', 'Grant', 'Today', 'Once the owner is disabled', 'Sessions'].map(c => h('th', {}, c))),
      impact.identities.map(x => h('tr', {'data-client': x.clientId, 'data-effect': x.effect,
          'data-outcome': x.ifDisabled ? x.ifDisabled.outcome : '', 'data-rule': x.ifDisabled && x.ifDisabled.rule || '',
          'data-reason': x.ifDisabled && x.ifDisabled.reason || '', class: x.effect === 'refused' ? 'flag' : null},
        h('td', {}, h('strong', {}, x.clientId)), h('td', {}, x.grantType || ''),
        h('td', {}, x.now ? decisionText(x.now) : h('span', {class: 'note'}, x.note || '')),
        h('td', {}, x.ifDisabled ? decisionText(x.ifDisabled) : ''),
        h('td', {}, sessions(x) + (x.revoked ? ' (revoked)' : ''))))));
}

function userPicker(name, onPick) {
  const input = h('input', {type: 'text', name, class: 'user-search', placeholder: 'search users', autocomplete: 'off'});
  const list = h('div', {class: 'picker', hidden: true});
  let chosen = null;
  let asked = 0;
  input.addEventListener('input', async () => {
    chosen = null;
    const term = input.value.trim();
    const mine = ++asked;
    if (term.length < 1) { list.hidden = true; return; }
    const r = await api('GET', '/users?briefRepresentation=true&max=10&search=' + encodeURIComponent(term));
    if (mine !== asked) return; // a later keystroke asked again: only its answer is shown
    if (!r.ok) { list.replaceChildren(h('div', {}, errorText(r))); list.hidden = false; return; }
    list.replaceChildren(...r.body.map(u => h('div', {class: 'user-option', 'data-username': u.username, onclick: () => {
      chosen = u; input.value = u.username; list.hidden = true; onPick && onPick(u);
    }}, u.username, u.enabled === false ? ' (disabled)' : '', u.email ? ' · ' + u.email : '')));
    list.hidden = r.body.length === 0;
  });
  return {el: h('span', {}, input, list), value: () => (chosen ? chosen.id : input.value.trim()), set: (v) => { input.value = v; }};
}

function fieldErrors(form, message) {
  for (const e of form.querySelectorAll('.field-error')) e.remove();
  const m = /attributes\.(mintgate\.[a-z-]+)/.exec(message || '');
  const target = m ? form.querySelector('[data-attribute="' + m[1] + '"]') : null;
  (target || form).append(h('span', {class: 'field-error', role: 'alert'}, message));
}

function nhiFields(values) {
  const owner = userPicker('owner');
  owner.set(values.ownerUsername || values.owner || '');
  const purpose = h('input', {type: 'text', name: 'purpose', class: 'wide', value: values.purpose || null});
  const expires = h('input', {type: 'text', name: 'expiresAt', placeholder: '2027-06-30T00:00:00Z', value: values.expiresAt || null});
  return {
    els: [h('div', {'data-attribute': 'mintgate.owner'}, h('label', {}, 'Owner '), owner.el),
      h('div', {'data-attribute': 'mintgate.purpose'}, h('label', {}, 'Purpose ', purpose)),
      h('div', {'data-attribute': 'mintgate.expires-at'}, h('label', {}, 'Expires at ', expires))],
    attributes() {
      const a = {};
      a['mintgate.owner'] = owner.value();
      a['mintgate.purpose'] = purpose.value.trim();
      a['mintgate.expires-at'] = expires.value.trim();
      return a;
    }
  };
}

// On create an empty field is left out; on an update it is sent empty, which Keycloak (and the controls) take as
// removing the attribute, while a member left out of the representation would keep the stored value.
function applyAttributes(attributes, changes, update) {
  for (const [k, v] of Object.entries(changes)) {
    if (v) attributes[k] = v;
    else if (update && attributes[k] !== undefined) attributes[k] = '';
  }
  return attributes;
}

async function identitiesView(clientId) {
  const panes = h('div', {});
  // Create an identity: the owner is collected with the rest, so the issuance controls can accept it.
  const createNhi = nhiFields({});
  const createForm = h('form', {id: 'create-identity', class: 'panel', onsubmit: async e => {
    e.preventDefault();
    const f = e.target;
    const rep = {clientId: f.clientId.value.trim(), enabled: true, protocol: 'openid-connect', publicClient: false,
      serviceAccountsEnabled: f.serviceAccount.checked, standardFlowEnabled: !f.serviceAccount.checked,
      directAccessGrantsEnabled: false, attributes: applyAttributes({}, createNhi.attributes(), false)};
    const r = await api('POST', '/clients', rep);
    if (!r.ok) { fieldErrors(f, errorText(r)); return; }
    location.hash = '#identities/' + encodeURIComponent(rep.clientId);
  }}, h('h3', {}, 'Create an identity (client)'),
    h('label', {}, 'Client id ', h('input', {type: 'text', name: 'clientId', required: true})),
    h('label', {}, h('input', {type: 'checkbox', name: 'serviceAccount', checked: true}), ' service account (client credentials)'),
    createNhi.els, h('button', {class: 'primary', id: 'create-client'}, 'Create'));

  const pick = h('form', {id: 'pick-client', onsubmit: e => { e.preventDefault(); location.hash = '#identities/' + encodeURIComponent(e.target.clientId.value.trim()); }},
    h('label', {}, 'Client id ', h('input', {type: 'text', name: 'clientId', value: clientId || null})), h('button', {}, 'Open'));

  const edit = h('div', {id: 'identity'});
  if (clientId) {
    const found = await api('GET', '/clients?clientId=' + encodeURIComponent(clientId));
    if (!found.ok || found.body.length === 0) {
      edit.replaceChildren(problemPanel('No such client', [found.ok ? 'realm ' + realm + ' has no client ' + clientId : errorText(found)]));
    } else {
      const client = found.body[0];
      const attrs = client.attributes || {};
      let ownerUsername = null;
      if (attrs['mintgate.owner']) {
        const u = await api('GET', '/users/' + encodeURIComponent(attrs['mintgate.owner']));
        ownerUsername = u.ok ? u.body.username : null;
      }
      const fields = nhiFields({owner: attrs['mintgate.owner'], ownerUsername, purpose: attrs['mintgate.purpose'], expiresAt: attrs['mintgate.expires-at']});
      const status = h('div', {id: 'identity-status'});
      edit.replaceChildren(h('form', {id: 'identity-form', class: 'panel', onsubmit: async e => {
        e.preventDefault();
        const current = await api('GET', '/clients/' + client.id);
        if (!current.ok) { fieldErrors(e.target, errorText(current)); return; }
        const rep = current.body;
        rep.attributes = applyAttributes(rep.attributes || {}, fields.attributes(), true);
        const r = await api('PUT', '/clients/' + client.id, rep);
        if (!r.ok) { fieldErrors(e.target, errorText(r)); return; }
        for (const x of e.target.querySelectorAll('.field-error')) x.remove();
        const saved = await api('GET', '/clients/' + client.id);
        status.replaceChildren(h('div', {class: 'panel ok', id: 'identity-saved'}, 'Saved: owner ',
          h('code', {}, saved.body.attributes['mintgate.owner'] || '(none)'), ' · purpose ' + (saved.body.attributes['mintgate.purpose'] || '(none)'),
          ' · expires ' + (saved.body.attributes['mintgate.expires-at'] || '(never)')));
      }}, h('h3', {}, 'Identity ', h('code', {}, client.clientId)),
        h('p', {class: 'note'}, 'Owner ', attrs['mintgate.owner'] ? h('code', {}, attrs['mintgate.owner']) : '(none)', ownerUsername ? ' (' + ownerUsername + ')' : ''),
        fields.els, h('button', {class: 'primary', id: 'save-identity'}, 'Save')), status);
    }
  }

  const ownedOut = h('div', {id: 'owned'});
  const ownerPicker = userPicker('ownedBy', async u => {
    const r = await api('GET', '/mintgate/owners/' + encodeURIComponent(u.id));
    if (!r.ok) { ownedOut.replaceChildren(problemPanel('Cannot list owned identities', [errorText(r)])); return; }
    const o = r.body;
    ownedOut.replaceChildren(h('p', {}, h('strong', {}, o.user.username), o.user.enabled ? ' (enabled)' : ' (disabled)', ' owns ' + o.identities.length + ' identit' + (o.identities.length === 1 ? 'y' : 'ies') + '.'),
      o.identities.length ? table(o.identities, ['clientId', 'enabled', 'serviceAccount', 'purpose', 'expiresAt']) : '',
      h('div', {class: 'panel warn', id: 'on-disable'}, h('strong', {}, 'Before disabling this user: '), o.onDisable),
      impactOut);
    const i = await api('GET', '/mintgate/owners/' + encodeURIComponent(u.id) + '/disable-impact');
    impactOut.replaceChildren(i.ok ? disableImpact(i.body) : problemPanel('Cannot evaluate what disabling would do', [errorText(i)]));
  });
  const impactOut = h('div', {id: 'disable-impact-out'});
  panes.append(h('h2', {}, 'Identities and owners'), pick, edit, createForm,
    h('div', {class: 'panel'}, h('h3', {}, 'What a user owns'), h('label', {}, 'User '), ownerPicker.el, ownedOut));
  show(panes);
}

start();
