// bramka panel: the customer's pages. Everything goes through the API v2 actions
// (B.v2) with the session as the credential.
'use strict';
(function (B) {
  const el = B.el, t = B.t;
  const P = B.pages = B.pages || {};
  const FINAL = ['delivered', 'undelivered', 'unsent'];
  const splitList = (s) => String(s || '').split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
  const apiDate = (local) => (local ? local.replace('T', ' ') + (local.length === 16 ? ':00' : '') : undefined);

  // ---- dashboard: balances, today's traffic, 7 days as an SVG bar chart ----
  P.dashboard = { render: async (m) => {
    const [limits, traffic, notes] = await Promise.all([B.v2('account/limits'), B.get('traffic'), B.v2('account/messages')]);
    const fresh = (notes.items || []).filter((n) => n.new);
    if (fresh.length) m.append(B.card(t('operator_messages'), fresh.map((n) => B.notice(`${n.date}: ${n.message}`))));
    m.append(B.card(t('balances'), el('div', { class: 'grid' }, (limits.items || []).filter((i) => i.value !== 'not_available').map((i) =>
      el('div', {}, el('div', { class: 'stat', text: i.value === 'no_limit' ? '∞' : i.value }), el('div', { class: 'stat-label', text: t('type_' + i.type) }))))));
    const days = traffic.days.map((d) => d.date);
    const per = Object.fromEntries(traffic.days.map((d) => [d.date, d]));
    const today = per[days[days.length - 1]];
    m.append(B.card(t('today'), el('div', { class: 'grid' },
      ['sent', 'delivered', 'undelivered'].map((k) => el('div', {}, el('div', { class: 'stat', text: today[k] }), el('div', { class: 'stat-label', text: t('chart_' + k) }))))));
    m.append(B.card(t('last_7_days'), chart(days, per)));
  } };

  function chart(days, per) {
    const NS = 'http://www.w3.org/2000/svg';
    const s = (tag, attrs, text) => { const e = document.createElementNS(NS, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text !== undefined) e.textContent = text; return e; };
    const W = 700, H = 220, L = 30, Bm = 24, max = Math.max(1, ...days.map((d) => per[d].sent));
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'chart-title' });
    svg.append(s('title', { id: 'chart-title' }, t('chart_title')));
    svg.append(s('line', { x1: L, y1: H - Bm, x2: W, y2: H - Bm, class: 'axis' }));
    svg.append(s('text', { x: 0, y: 12, class: 'tick' }, String(max)));
    const slot = (W - L) / days.length, bw = slot / 4;
    days.forEach((d, i) => {
      ['sent', 'delivered', 'undelivered'].forEach((k, j) => {
        const h = (H - Bm - 10) * per[d][k] / max;
        const bar = s('rect', { x: L + i * slot + bw * (j + 0.5), y: H - Bm - h, width: bw - 2, height: Math.max(h, 0), class: 'bar-' + k });
        bar.append(s('title', {}, `${d} ${t('chart_' + k)}: ${per[d][k]}`));
        svg.append(bar);
      });
      svg.append(s('text', { x: L + i * slot + slot / 2, y: H - 6, 'text-anchor': 'middle', class: 'tick' }, d.slice(5)));
    });
    const legend = el('p', { class: 'legend' }, ['sent', 'delivered', 'undelivered'].map((k) => el('span', {}, el('span', { class: 'sw sw-' + k }), t('chart_' + k))));
    return el('div', { class: 'chart' }, svg, legend);
  }

  // ---- send ----
  P.send = { render: async (m) => {
    const [senders, groups, contacts, templates] = await Promise.all([
      B.v2('senders/index'), B.v2('groups/index', { limit: 500 }), B.v2('contacts/index', { limit: 500 }), B.v2('templates/index'),
    ]);
    const approved = (senders.items || []).filter((s) => s.status === 'authorized');
    const counter = el('p', { class: 'counter', id: 'text-counter', 'aria-live': 'polite' });
    const preview = el('p', { class: 'hint', id: 'cost-preview', 'aria-live': 'polite' });
    const results = el('div', { id: 'send-results' });
    const previewBtn = el('button', { type: 'button', class: 'secondary', text: t('cost_preview') });
    const form = B.form({
      id: 'send', submit: t('send'), extraButtons: previewBtn,
      fields: [
        { name: 'phone', label: t('recipients'), type: 'textarea', hint: t('recipients_hint'), attrs: { rows: 2 } },
        { name: 'group_id', label: t('group'), type: 'select', options: [['', '—'], ...(groups.items || []).map((g) => [g.id, `${g.name} (${g.count})`])] },
        { name: 'contact_id', label: t('contacts'), type: 'select', options: (contacts.items || []).map((c) => [c.id, [c.first_name, c.last_name, c.phone].filter(Boolean).join(' ')]), attrs: { multiple: true, size: Math.min(5, Math.max(2, (contacts.items || []).length)) } },
        { name: 'sender', label: t('sender'), type: 'select', hint: t('sender_hint'), options: [['', t('sender_eco')], ...approved.map((s) => [s.name, s.name])] },
        { name: 'template', label: t('template'), type: 'select', options: [['', '—'], ...(templates.items || []).map((x) => [x.id, x.name])] },
        { name: 'text', label: t('text'), type: 'textarea', required: true, after: counter },
        { name: 'utf', label: t('utf'), type: 'checkbox' },
        { name: 'date', label: t('schedule'), type: 'datetime-local', hint: t('schedule_hint') },
      ],
      onSubmit: async (v) => {
        const r = await B.v2('messages/send_sms', params(v, false));
        const unsent = (r.items || []).filter((i) => i.status === 'unsent');
        // Every recipient refused: say why next to the numbers.
        if (!r.queued && unsent.length) throw new B.FieldError(unsent.map((i) => `${i.phone}: ${i.error_message}`).join('; '), 'phone', unsent[0].error_code);
        results.replaceChildren(B.notice(t('sent_result', r.queued, r.unsent) + unsent.map((i) => ` ${i.phone}: ${i.error_message}.`).join(''), unsent.length > 0));
        watch(results, r.items || []);
      },
    });
    const params = (v, test) => {
      const p = { text: v.text, details: true };
      const phones = splitList(v.phone);
      if (phones.length) p.phone = phones;
      if (v.group_id) p.group_id = Number(v.group_id);
      const cids = [...form.inputs.contact_id.selectedOptions].map((o) => Number(o.value));
      if (cids.length) p.contact_id = cids;
      if (v.sender) p.sender = v.sender;
      if (v.utf) p.utf = true;
      if (v.date) p.date = apiDate(v.date);
      if (test) p.test = true;
      return p;
    };
    const type = () => (form.inputs.sender.value ? 'full' : 'eco');
    let timer = null;
    const count = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        try {
          const a = await B.post('analyse', { text: form.inputs.text.value, type: type(), utf: form.inputs.utf.checked });
          counter.classList.toggle('bad', a.too_long);
          counter.textContent = t('counter', a.units, a.capacity, a.parts, a.max_parts, a.encoding === 'ucs2' ? 'UCS-2' : 'GSM-7') + (a.transliterated ? ' · ' + t('transliterated') : '');
        } catch (e) { counter.textContent = e.message; counter.classList.add('bad'); }
      }, 120);
    };
    form.inputs.text.addEventListener('input', count);
    form.inputs.utf.addEventListener('change', count);
    form.inputs.sender.addEventListener('change', count);
    form.inputs.template.addEventListener('change', () => {
      const tpl = (templates.items || []).find((x) => String(x.id) === form.inputs.template.value);
      if (tpl) { form.inputs.text.value = tpl.text; count(); }
    });
    previewBtn.addEventListener('click', async () => {
      form.clearErrors();
      try {
        const r = await B.v2('messages/send_sms', params(form.values(), true));
        const parts = (r.items || []).filter((i) => i.status === 'queued').reduce((a, i) => a + (i.parts || 0), 0);
        preview.textContent = t('cost_result', r.queued, parts, t('type_' + type()));
      } catch (e) { form.showError(e); }
    });
    count();
    m.append(B.card('', form, preview), results);
    // Personalised sending: a CSV of phone;text rows (send_personalized).
    const personalResults = el('div', { id: 'personal-results' });
    const personal = B.form({ id: 'send-personal', submit: t('send'), fields: [
      { name: 'file', label: t('csv_file'), type: 'file', hint: t('personal_hint'), attrs: { accept: '.csv,text/csv' } },
      { name: 'sender', label: t('sender'), type: 'select', options: [['', t('sender_eco')], ...approved.map((s) => [s.name, s.name])] },
      { name: 'utf', label: t('utf'), type: 'checkbox' }],
    onSubmit: async (v) => {
      if (!v.file || !v.file.length) throw new B.FieldError(t('choose_file'), 'file');
      const rows = B.parseCsv(await v.file[0].text());
      if (rows.length && !/\d/.test(rows[0][0] || '')) rows.shift();  // a header
      const messages = rows.filter((r) => r.length >= 2).map((r) => ({ phone: r[0].trim(), text: r.slice(1).join(',').trim() }));
      if (!messages.length) throw new B.FieldError(t('csv_empty'), 'file');
      const p = { messages, details: true };
      if (v.sender) p.sender = v.sender;
      if (v.utf) p.utf = true;
      const r = await B.v2('messages/send_personalized', p);
      const unsent = (r.items || []).filter((i) => i.status === 'unsent');
      personalResults.replaceChildren(B.notice(t('sent_result', r.queued, r.unsent) + unsent.map((i) => ` ${i.phone}: ${i.error_message}.`).join(''), unsent.length > 0));
      watch(personalResults, r.items || []);
    } });
    m.append(B.card(t('personal_title'), personal), personalResults);
  } };

  // Polls the sent messages until each is final (bounded: 90 rounds).
  function watch(box, items) {
    const rows = items.filter((i) => i.id);
    const render = () => box.replaceChildren(box.firstChild, B.table([
      { key: 'id', label: t('id') }, { key: 'phone', label: t('phone') }, { key: 'parts', label: t('parts') },
      { label: t('status'), render: (r) => B.status(r.status) }], rows));
    render();
    let rounds = 0;
    const tick = async () => {
      rounds++;
      const open = rows.filter((r) => !FINAL.includes(r.status));
      if (!open.length || rounds > 90 || !box.isConnected) return;
      const r = await B.v2('messages/reports', { id: open.map((x) => x.id), limit: 500 }).catch(() => null);
      for (const item of (r && r.items) || []) { const row = rows.find((x) => x.id === item.id); if (row) row.status = item.status; }
      render();
      setTimeout(tick, 1000);
    };
    setTimeout(tick, 500);
  }

  // ---- messages and reports ----
  P.messages = { render: async (m) => {
    const out = el('div', { id: 'report-results' });
    let last = [];
    const exportBtn = el('button', { type: 'button', class: 'secondary', text: t('export_csv') });
    // The export holds every message of the filter, not only the page on screen.
    exportBtn.addEventListener('click', async () => {
      exportBtn.disabled = true;
      try {
        const rows = [];
        for (let pg = 1; pg <= 200; pg++) {
          const r = await B.v2('messages/reports', Object.assign({}, filter, { limit: 500, page: pg, order: 'desc' }));
          rows.push(...(r.items || []));
          if (pg >= ((r.paging && r.paging.count) || 1)) break;
        }
        B.download('bramka-reports.csv', B.csv(rows, ['id', 'phone', 'status', 'queued', 'sent', 'delivered', 'sender', 'type', 'parts', 'text', 'reason']));
      } catch (e) { form.showError(e); } finally { exportBtn.disabled = false; }
    });
    let filter = {};
    const statuses = ['', 'delivered', 'undelivered', 'pending', 'sent', 'unsent', 'in_progress', 'saved'];
    const form = B.form({
      id: 'reports', submit: t('search'), extraButtons: exportBtn,
      fields: [
        { name: 'phone', label: t('phone') },
        { name: 'status', label: t('status'), type: 'select', options: statuses.map((s) => [s, s ? t('st_' + s) : t('any')]) },
        { name: 'type', label: t('type'), type: 'select', options: [['', t('any')], ['eco', 'ECO'], ['full', 'FULL'], ['voice', 'VOICE'], ['mms', 'MMS']] },
        { name: 'date_from', label: t('date_from'), type: 'date' },
        { name: 'date_to', label: t('date_to'), type: 'date' },
      ],
      onSubmit: (v) => { page = 1; return search(v); },
    });
    let page = 1;
    const search = async (v) => {
        filter = {};
        for (const k of ['phone', 'status', 'type', 'date_from', 'date_to']) if (v[k]) filter[k] = v[k];
        const p = Object.assign({ limit: 100, order: 'desc', page }, filter);
        const r = await B.v2('messages/reports', p);
        last = r.items || [];
        out.replaceChildren(B.table([
          { key: 'id', label: t('id') }, { key: 'phone', label: t('phone') }, { label: t('status'), render: (x) => B.status(x.status) },
          { key: 'queued', label: t('queued') }, { key: 'delivered', label: t('delivered_at') }, { key: 'sender', label: t('sender') },
          { key: 'type', label: t('type') }, { key: 'parts', label: t('parts') }, { key: 'text', label: t('text') }], last));
        const pages = (r.paging && r.paging.count) || 1;
        if (pages > 1) {
          const turn = (d) => async () => { page += d; try { await search(form.values()); } catch (e) { form.showError(e); } };
          out.append(el('nav', { class: 'actions', 'aria-label': t('pages') },
            el('button', { type: 'button', class: 'secondary', text: t('prev'), disabled: page <= 1, onclick: turn(-1) }),
            el('span', { text: t('page_of', page, pages) }),
            el('button', { type: 'button', class: 'secondary', text: t('next'), disabled: page >= pages, onclick: turn(1) })));
        }
    };
    m.append(B.card('', form), out);
    await search(form.values());
  } };

  // ---- inbox ----
  P.inbox = { render: async (m) => {
    const r = await B.v2('messages/recived', { limit: 200 });
    m.append(B.table([{ key: 'recived', label: t('received') }, { key: 'phone', label: t('from') }, { key: 'type', label: t('type') },
      { key: 'text', label: t('text') }, { key: 'message_id', label: t('reply_to') }], r.items || [], t('inbox_empty')));
  } };

  // ---- contacts and groups ----
  P.contacts = { render: async (m) => {
    const [groups, contacts] = await Promise.all([B.v2('groups/index', { limit: 500 }), B.v2('contacts/index', { limit: 500 })]);
    const reload = () => B.route();
    const groupOptions = (groups.items || []).map((g) => [g.id, g.name]);
    // groups
    const groupForm = B.form({ id: 'group-add', submit: t('add_group'), fields: [{ name: 'name', label: t('group_name'), required: true }],
      onSubmit: async (v) => { await B.v2('groups/add', { name: v.name }); reload(); } });
    m.append(B.card(t('groups'), B.table([{ key: 'name', label: t('name') }, { key: 'count', label: t('count') },
      { label: t('actions'), render: (g) => el('button', { type: 'button', class: 'danger', text: t('delete'), 'aria-label': t('delete') + ' ' + g.name,
        onclick: async () => { await B.v2('groups/delete', { id: g.id }); reload(); } }) }], groups.items, t('no_groups')), groupForm));
    // contacts: add, or edit when a row's Edit was pressed
    let editing = null;
    const contactForm = B.form({ id: 'contact-add', submit: t('save_contact'), fields: [
      { name: 'phone', label: t('phone'), required: true, attrs: { inputmode: 'tel', autocomplete: 'tel' } },
      { name: 'first_name', label: t('first_name') }, { name: 'last_name', label: t('last_name') },
      { name: 'email', label: t('email'), type: 'email' },
      { name: 'group_id', label: t('group'), type: 'select', options: groupOptions, hint: groupOptions.length ? '' : t('need_group') }],
    onSubmit: async (v) => {
      const p = { phone: v.phone, first_name: v.first_name, last_name: v.last_name, email: v.email, group_id: v.group_id ? Number(v.group_id) : undefined };
      if (editing) await B.v2('contacts/edit', Object.assign({ id: editing }, p)); else await B.v2('contacts/add', p);
      reload();
    } });
    m.append(B.card(t('contacts'), B.table([{ key: 'phone', label: t('phone') }, { key: 'first_name', label: t('first_name') },
      { key: 'last_name', label: t('last_name') }, { key: 'email', label: t('email') }, { key: 'group_name', label: t('group') },
      { label: t('actions'), render: (c) => el('span', { class: 'actions' },
        el('button', { type: 'button', class: 'secondary', text: t('edit'), 'aria-label': t('edit') + ' ' + c.phone, onclick: () => {
          editing = c.id;
          for (const k of ['phone', 'first_name', 'last_name', 'email']) contactForm.inputs[k].value = c[k] || '';
          if (c.group_id) contactForm.inputs.group_id.value = c.group_id;
          contactForm.inputs.phone.focus();
        } }),
        el('button', { type: 'button', class: 'danger', text: t('delete'), 'aria-label': t('delete') + ' ' + c.phone,
          onclick: async () => { await B.v2('contacts/delete', { id: c.id }); reload(); } })) }],
    contacts.items, t('no_contacts')), contactForm));
    // CSV import into a new group
    const importForm = B.form({ id: 'contact-import', submit: t('import'), fields: [
      { name: 'group_name', label: t('new_group_name'), required: true },
      { name: 'file', label: t('csv_file'), type: 'file', hint: t('csv_hint'), attrs: { accept: '.csv,text/csv' } }],
    onSubmit: async (v, f) => {
      if (!v.file || !v.file.length) throw new B.FieldError(t('choose_file'), 'file');
      const rows = B.parseCsv(await v.file[0].text());
      const keys = ['phone', 'first_name', 'last_name', 'email', 'company'];
      let cols = keys;
      if (rows.length && rows[0].some((c) => /phone|telefon|numer/i.test(c))) {
        cols = rows.shift().map((c) => { const s = c.trim().toLowerCase(); return /phone|telefon|numer/.test(s) ? 'phone' : /first|imi/.test(s) ? 'first_name' : /last|nazwisk/.test(s) ? 'last_name' : /mail/.test(s) ? 'email' : /company|firma/.test(s) ? 'company' : s; });
      }
      const contact = rows.map((r) => Object.fromEntries(cols.map((k, i) => [k, (r[i] || '').trim()]).filter(([k]) => keys.includes(k))));
      if (!contact.length) throw new B.FieldError(t('csv_empty'), 'file');
      const r = await B.v2('contacts/import', { group_name: v.group_name, contact });
      f.showOk(t('imported', r.correct, r.failed));
      setTimeout(reload, 800);
    } });
    m.append(B.card(t('import_csv'), importForm));
  } };

  // ---- sender names ----
  P.senders = { render: async (m) => {
    const r = await B.v2('senders/index');
    m.append(B.card(t('your_senders'), B.table([{ key: 'name', label: t('name') }, { label: t('status'), render: (s) => B.status(s.status) }], r.items, t('no_senders'))));
    m.append(B.card(t('request_sender'), B.form({ id: 'sender-add', submit: t('request'), fields: [
      { name: 'name', label: t('sender_name'), required: true, hint: t('sender_name_hint'), attrs: { maxlength: 11 } }],
    onSubmit: async (v) => { await B.v2('senders/add', { name: v.name }); B.route(); } })));
  } };

  // ---- templates ----
  P.templates = { render: async (m) => {
    const r = await B.v2('templates/index');
    m.append(B.card('', B.table([{ key: 'name', label: t('name') }, { key: 'text', label: t('text') },
      { label: t('actions'), render: (x) => el('button', { type: 'button', class: 'danger', text: t('delete'), 'aria-label': t('delete') + ' ' + x.name,
        onclick: async () => { await B.v2('templates/delete', { id: x.id }); B.route(); } }) }], r.items, t('no_templates'))));
    m.append(B.card(t('add_template'), B.form({ id: 'template-add', submit: t('add'), fields: [
      { name: 'name', label: t('name'), required: true }, { name: 'text', label: t('text'), type: 'textarea', required: true }],
    onSubmit: async (v) => { await B.v2('templates/add', v); B.route(); } })));
  } };

  // ---- subaccounts (subaccounts/*): own logins with balances carved out of this one ----
  P.subaccounts = { render: async (m) => {
    const r = await B.v2('subaccounts/index');
    const subs = r.items || [];
    m.append(B.card('', B.table([{ key: 'username', label: t('username') },
      { label: t('actions'), render: (x) => el('button', { type: 'button', class: 'danger', text: t('delete'), 'aria-label': t('delete') + ' ' + x.username,
        onclick: async () => { await B.v2('subaccounts/delete', { id: x.id }); B.route(); } }) }], subs, t('no_subaccounts'))));
    m.append(B.card(t('new_subaccount'), B.form({ id: 'subaccount-add', submit: t('create'), fields: [
      { name: 'subaccount_username', label: t('username'), required: true, attrs: { autocomplete: 'off' } },
      { name: 'subaccount_password', label: t('password'), type: 'password', required: true, attrs: { autocomplete: 'new-password' } },
      { name: 'name', label: t('full_name') }, { name: 'email', label: t('email'), type: 'email' }],
    onSubmit: async (v) => { await B.v2('subaccounts/add', v); B.route(); } })));
    if (subs.length) {
      m.append(B.card(t('subaccount_limit'), B.form({ id: 'subaccount-limit', submit: t('save'), fields: [
        { name: 'id', label: t('account'), type: 'select', options: subs.map((x) => [x.id, x.username]) },
        { name: 'type', label: t('type'), type: 'select', options: ['eco', 'full', 'voice', 'mms', 'hlr'].map((x) => [x, x.toUpperCase()]) },
        { name: 'value', label: t('units'), type: 'number', attrs: { min: 0 } }],
      onSubmit: async (v, f) => {
        const r2 = await B.v2('subaccounts/limit', { id: Number(v.id), type: v.type, value: v.value });
        if (r2.success === false) throw new B.FieldError(t('limit_refused'), 'value');
        f.showOk(t('saved'));
      } })));
    }
  } };

  // ---- blacklist ----
  P.blacklist = { render: async (m) => {
    const r = await B.v2('blacklist/index', { limit: 500 });
    m.append(B.card('', B.table([{ key: 'phone', label: t('phone') }, { key: 'added', label: t('added') },
      { label: t('actions'), render: (x) => el('button', { type: 'button', class: 'danger', text: t('delete'), 'aria-label': t('delete') + ' ' + x.phone,
        onclick: async () => { await B.v2('blacklist/delete', { phone: x.phone }); B.route(); } }) }], r.items, t('blacklist_empty'))));
    m.append(B.card(t('add_to_blacklist'), B.form({ id: 'blacklist-add', submit: t('add'), fields: [
      { name: 'phone', label: t('phone'), required: true, attrs: { inputmode: 'tel' } }],
    onSubmit: async (v) => { await B.v2('blacklist/add', { phone: v.phone }); B.route(); } })));
  } };
})(window.B);
