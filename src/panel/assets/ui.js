// bramka panel: DOM and API helpers shared by every page. No framework: elements are
// built with B.el (text through textContent only, so nothing the server returns is
// ever parsed as HTML), forms with B.form (every input has a <label> and an error
// line next to it).
'use strict';
window.B = window.B || {};
(function (B) {
  const saved = localStorage.getItem('bramka.lang');
  B.lang = saved === 'en' || saved === 'pl' ? saved : ((navigator.language || 'pl').startsWith('en') ? 'en' : 'pl');
  B.csrf = '';

  B.t = function (key, ...args) {
    const table = (window.I18N && window.I18N[B.lang]) || {};
    let s = table[key];
    if (s === undefined) s = (window.I18N && window.I18N.en && window.I18N.en[key]) || key;
    return s.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
  };

  B.el = function (tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'value' || k === 'checked' || k === 'selected') e[k] = v;
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  };
  const el = B.el;

  // An error to show next to a field: {field, message, code}.
  B.FieldError = class extends Error {
    constructor(message, field, code) { super(message); this.field = field || ''; this.code = code; }
  };

  async function request(method, path, body) {
    const headers = { 'X-CSRF-Token': B.csrf, 'X-Panel-Lang': B.lang };
    const init = { method, headers, credentials: 'same-origin' };
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    let res;
    try { res = await fetch('/panel/api/' + path, init); } catch (e) { throw new B.FieldError(B.t('network_error'), ''); }
    let json = {};
    try { json = await res.json(); } catch (e) { json = {}; }
    if (res.status === 401 && !path.endsWith('login')) { B.onLoggedOut && B.onLoggedOut(); }
    if (!res.ok) {
      const e = json.error || {};
      throw new B.FieldError(B.t('err_' + e.code) !== 'err_' + e.code ? B.t('err_' + e.code) : (e.message || res.statusText), e.field, e.code);
    }
    return json;
  }
  B.get = (path) => request('GET', path);
  B.post = (path, body) => request('POST', path, body || {});

  // API v2 errors name the parameter in parentheses; some codes imply it.
  const CODE_FIELDS = { 1004: 'id', 2001: 'phone', 2003: 'unique_id', 3101: 'text', 3102: 'text', 3103: 'sender',
    3104: 'phone', 3105: 'phone', 4407: 'name', 4500: 'name', 4502: 'name' };
  B.v2 = async function (action, params) {
    const json = await B.post('v2/' + action, params || {});
    if (json && json.error) {
      const m = /\(([a-z_]+)[^)]*\)\s*$/.exec(json.error.message || '');
      throw new B.FieldError(json.error.message, (m && m[1]) || CODE_FIELDS[json.error.code] || '', json.error.code);
    }
    return json;
  };

  let seq = 0;
  // fields: [{name, label, type, options: [[value, label]], value, hint, required, attrs}]
  B.form = function (spec) {
    const f = el('form', { class: 'f', novalidate: true, id: spec.id });
    const inputs = {};
    for (const fd of spec.fields) {
      const id = (spec.id || 'f') + '-' + fd.name + '-' + (++seq);
      const errId = id + '-err';
      const hintId = fd.hint ? id + '-hint' : undefined;
      const common = Object.assign({ id, name: fd.name, 'aria-describedby': [hintId, errId].filter(Boolean).join(' '),
        required: fd.required || undefined }, fd.attrs || {});
      let input;
      if (fd.type === 'textarea') input = el('textarea', Object.assign(common, { value: fd.value || '' }));
      else if (fd.type === 'select') {
        input = el('select', common, (fd.options || []).map(([v, l]) => el('option', { value: v, text: l, selected: String(v) === String(fd.value ?? '') })));
      } else if (fd.type === 'checkbox') input = el('input', Object.assign(common, { type: 'checkbox', checked: !!fd.value }));
      else input = el('input', Object.assign(common, { type: fd.type || 'text', value: fd.value ?? '' }));
      inputs[fd.name] = input;
      const label = el('label', { for: id, text: fd.label });
      const err = el('p', { class: 'err', id: errId, 'aria-live': 'polite' });
      const hint = fd.hint ? el('p', { class: 'hint', id: hintId, text: fd.hint }) : null;
      f.append(fd.type === 'checkbox' ? el('div', { class: 'field inline' }, input, label, err)
        : el('div', { class: 'field' }, label, input, hint, err, fd.after || null));
    }
    const formErr = el('p', { class: 'err', role: 'alert' });
    const ok = el('p', { class: 'notice', role: 'status', hidden: true });
    const button = el('button', { type: 'submit', text: spec.submit || B.t('save') });
    f.append(formErr, el('div', { class: 'actions' }, button, spec.extraButtons || null), ok);
    f.inputs = inputs;
    f.values = () => {
      const v = {};
      for (const [k, i] of Object.entries(inputs)) v[k] = i.type === 'checkbox' ? i.checked : (i.type === 'file' ? i.files : i.value);
      return v;
    };
    f.clearErrors = () => {
      formErr.textContent = '';
      ok.hidden = true;
      for (const i of Object.values(inputs)) {
        i.removeAttribute('aria-invalid');
        document.getElementById(i.id + '-err').textContent = '';
      }
    };
    f.showError = (e) => {
      const i = e && e.field && inputs[e.field];
      if (i) {
        i.setAttribute('aria-invalid', 'true');
        document.getElementById(i.id + '-err').textContent = e.message;
        i.focus();
      } else {
        formErr.textContent = (e && e.message) || String(e);
      }
    };
    f.showOk = (text) => { ok.hidden = false; ok.textContent = text; };
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      f.clearErrors();
      button.disabled = true;
      try { await spec.onSubmit(f.values(), f); } catch (e) { f.showError(e); } finally { button.disabled = false; }
    });
    return f;
  };

  // columns: [{key, label, render(row) -> Node|string}]
  B.table = function (columns, rows, empty) {
    if (!rows || rows.length === 0) return el('p', { class: 'hint', text: empty || B.t('empty') });
    return el('div', { class: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', text: c.label })))),
      el('tbody', {}, rows.map((r) => el('tr', {}, columns.map((c) => {
        const v = c.render ? c.render(r) : r[c.key];
        return el('td', { 'data-label': c.label }, v === undefined || v === null ? '' : v);
      }))))));
  };

  B.status = (s) => el('span', { class: 'status-' + s, text: B.t('st_' + s) !== 'st_' + s ? B.t('st_' + s) : s });
  B.card = (title, ...children) => el('section', { class: 'card' }, title ? el('h2', { text: title }) : null, ...children);
  B.notice = (text, bad) => el('p', { class: 'notice' + (bad ? ' bad' : ''), role: bad ? 'alert' : 'status', text });

  B.csv = function (rows, columns) {
    const esc = (v) => { const s = v === undefined || v === null ? '' : String(v); return /[",\n;]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
    return [columns.map(esc).join(','), ...rows.map((r) => columns.map((c) => esc(r[c])).join(','))].join('\r\n') + '\r\n';
  };
  // Parses CSV (comma or semicolon separated, quotes) into an array of rows.
  B.parseCsv = function (text) {
    const sep = (text.split('\n')[0].match(/;/g) || []).length > (text.split('\n')[0].match(/,/g) || []).length ? ';' : ',';
    const rows = []; let row = []; let cell = ''; let q = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (q) { if (c === '"') { if (text[i + 1] === '"') { cell += '"'; i++; } else q = false; } else cell += c; }
      else if (c === '"') q = true;
      else if (c === sep) { row.push(cell); cell = ''; }
      else if (c === '\n' || c === '\r') { if (c === '\r' && text[i + 1] === '\n') i++; row.push(cell); rows.push(row); row = []; cell = ''; }
      else cell += c;
    }
    if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
    return rows.filter((r) => r.some((c) => c.trim() !== ''));
  };
  B.download = function (name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type: type || 'text/csv' }));
    const a = el('a', { href: url, download: name });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  B.fmtDate = (d) => {
    const p = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
  };
})(window.B);
