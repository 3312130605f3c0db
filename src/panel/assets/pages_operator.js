// bramka panel: the operator's pages (src/panel/panel_operator.cc).
'use strict';
(function (B) {
  const el = B.el, t = B.t;
  const P = B.pages = B.pages || {};
  const TYPES = ['eco', 'full', 'voice', 'mms', 'hlr', 'lookup'];

  P['op/accounts'] = { render: async (m) => {
    const r = await B.get('op/accounts');
    const accounts = r.items || [];
    m.append(B.card('', B.table([{ key: 'name', label: t('name') }, { key: 'parent', label: t('parent') }, { label: t('status'), render: (a) => (a.active ? t('active') : t('inactive')) },
      { label: t('balances'), render: (a) => Object.entries(a.balances || {}).map(([k, v]) => `${k.toUpperCase()}: ${v === 'no_limit' ? '∞' : v}`).join(' · ') },
      { key: 'created', label: t('created') }], accounts)));
    m.append(B.card(t('topup'), B.form({ id: 'topup', submit: t('topup'), fields: [
      { name: 'account', label: t('account'), type: 'select', options: accounts.map((a) => [a.name, a.name]) },
      { name: 'type', label: t('type'), type: 'select', options: TYPES.map((x) => [x, x.toUpperCase()]), value: 'full' },
      { name: 'units', label: t('units'), type: 'number', attrs: { min: 1 } },
      { name: 'price', label: t('price_gross'), hint: t('price_gross_hint') },
      { name: 'paid', label: t('paid'), type: 'checkbox', value: true }, { name: 'note', label: t('note') }],
    onSubmit: async (v) => { await B.post('op/topup', v); B.route(); } })));
    m.append(B.card(t('account_message'), B.form({ id: 'account-message', submit: t('send'), fields: [
      { name: 'account', label: t('account'), type: 'select', options: accounts.map((a) => [a.name, a.name]) },
      { name: 'text', label: t('text'), type: 'textarea', required: true }],
    onSubmit: async (v, f) => { await B.post('op/messages', v); f.inputs.text.value = ''; f.showOk(t('saved')); } })));
    m.append(B.card(t('new_account'), B.form({ id: 'account-add', submit: t('create'), fields: [
      { name: 'name', label: t('username'), required: true, attrs: { autocomplete: 'off' } },
      { name: 'password', label: t('password'), type: 'password', required: true, hint: t('password_hint'), attrs: { autocomplete: 'new-password' } }],
    onSubmit: async (v) => { await B.post('op/accounts', v); B.route(); } })));
  } };

  // Signups (account/add requests): approving one creates its account.
  P['op/signups'] = { render: async (m) => {
    const r = await B.get('op/signups');
    const items = r.items || [];
    m.append(B.card('', B.table([{ key: 'created', label: t('created') }, { key: 'name', label: t('name') }, { key: 'company', label: t('company') },
      { key: 'phone', label: t('phone') }, { key: 'email', label: t('email') },
      { label: t('actions'), render: (g) => el('button', { type: 'button', class: 'danger', text: t('reject'), 'aria-label': t('reject') + ' ' + g.name,
        onclick: async () => { await B.post('op/signups/reject', { id: g.id }); B.route(); } }) }], items, t('no_signups'))));
    if (items.length) {
      m.append(B.card(t('approve_signup'), B.form({ id: 'signup-approve', submit: t('approve'), fields: [
        { name: 'id', label: t('signup'), type: 'select', options: items.map((g) => [g.id, `${g.name} (${g.email || g.phone})`]) },
        { name: 'name', label: t('username'), required: true, attrs: { autocomplete: 'off' } },
        { name: 'password', label: t('password'), type: 'password', required: true, hint: t('password_hint'), attrs: { autocomplete: 'new-password' } }],
      onSubmit: async (v) => { await B.post('op/signups/approve', v); B.route(); } })));
    }
  } };

  P['op/senders'] = { render: async (m) => {
    const r = await B.get('op/senders');
    const set = (s, status) => async () => { await B.post('op/senders', { account: s.account, sender: s.name, status }); B.route(); };
    m.append(B.card('', B.table([{ key: 'account', label: t('account') }, { key: 'name', label: t('sender') },
      { label: t('status'), render: (s) => B.status(s.status) }, { key: 'created', label: t('created') },
      { label: t('actions'), render: (s) => el('span', { class: 'actions' },
        s.status !== 'authorized' ? el('button', { type: 'button', text: t('approve'), 'aria-label': t('approve') + ' ' + s.name, onclick: set(s, 'authorized') }) : null,
        s.status !== 'rejected' ? el('button', { type: 'button', class: 'danger', text: t('reject'), 'aria-label': t('reject') + ' ' + s.name, onclick: set(s, 'rejected') }) : null) }],
    r.items, t('no_senders'))));
  } };

  P['op/numbers'] = { render: async (m) => {
    const [r, accounts] = await Promise.all([B.get('op/numbers'), B.get('op/accounts')]);
    m.append(B.card('', B.table([{ key: 'kind', label: t('kind') }, { key: 'number', label: t('number') }, { key: 'keyword', label: t('keyword') },
      { key: 'account', label: t('account') }, { label: t('price'), render: (n) => (n.price_grosze ? (n.price_grosze / 100).toFixed(2) + ' PLN' : '') },
      { label: t('actions'), render: (n) => el('button', { type: 'button', class: 'danger', text: t('delete'), 'aria-label': t('delete') + ' ' + n.number + ' ' + n.keyword,
        onclick: async () => { await B.post('op/numbers/remove', { id: n.id }); B.route(); } }) }], r.items, t('no_numbers'))));
    m.append(B.card(t('add_number'), B.form({ id: 'number-add', submit: t('add'), fields: [
      { name: 'kind', label: t('kind'), type: 'select', options: ['ndi', 'nd', 'sci', 'sc', 'premium', 'pool'].map((k) => [k, t('kind_' + k)]) },
      { name: 'number', label: t('number'), required: true, hint: t('number_hint') },
      { name: 'keyword', label: t('keyword'), hint: t('keyword_hint') },
      { name: 'account', label: t('account'), type: 'select', options: [['', '—'], ...(accounts.items || []).map((a) => [a.name, a.name])] },
      { name: 'price', label: t('price_pln'), hint: t('price_hint') },
      { name: 'answers', label: t('answers'), type: 'number', value: 0, attrs: { min: 0 } }],
    onSubmit: async (v) => { await B.post('op/numbers', v); B.route(); } })));
  } };

  P['op/inbox'] = { render: async (m) => {
    const r = await B.get('op/inbox');
    m.append(el('p', { class: 'hint', text: t('op_inbox_hint') }), B.table([{ key: 'received', label: t('received') }, { key: 'phone', label: t('from') },
      { key: 'to', label: t('to') }, { key: 'text', label: t('text') }, { key: 'connector', label: t('connector') }], r.items, t('inbox_empty')));
  } };

  P['op/health'] = { render: async (m) => {
    const h = await B.get('op/health');
    const kv = Object.entries(h).filter(([, v]) => typeof v !== 'object').map(([k, v]) => [t('h_' + k) !== 'h_' + k ? t('h_' + k) : k, v]);
    m.append(B.card(t('system'), B.table([{ key: 0, label: t('name') }, { key: 1, label: t('value') }], kv)));
    if (Array.isArray(h.connectors)) {
      m.append(B.card(t('connectors'), B.table(Object.keys(h.connectors[0] || { name: 1 }).map((k) => ({ key: k, label: k })), h.connectors)));
    }
    if (Array.isArray(h.routes)) {
      m.append(B.card(t('routes'), B.table(Object.keys(h.routes[0] || { name: 1 }).map((k) => ({ key: k, label: k, render: (r) => Array.isArray(r[k]) ? r[k].join(', ') : r[k] })), h.routes)));
    }
    m.append(B.card(t('inbound_numbers'), B.table([{ key: 'number', label: t('number') }, { key: 'keyword', label: t('keyword') }, { key: 'account_id', label: t('account') }], h.inbound_numbers)));
  } };
})(window.B);
