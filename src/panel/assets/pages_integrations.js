// bramka panel: the customer's integrations — API tokens, SMPP users, FTP and SQL
// sources, callback URLs (panel-only endpoints, src/panel/panel_customer.cc).
'use strict';
(function (B) {
  const el = B.el, t = B.t;
  B.pages = B.pages || {};

  B.pages.integrations = { render: async (m) => {
    const d = await B.get('integrations');
    const reload = () => B.route();
    // API tokens: shown once, only the hash is kept.
    const tokenOut = el('div', { 'aria-live': 'polite' });
    m.append(B.card(t('api_tokens'), el('p', { class: 'hint', text: t('token_hint') }), B.form({ id: 'token-add', submit: t('create_token'),
      fields: [{ name: 'label', label: t('token_label') }],
      onSubmit: async (v) => {
        const r = await B.post('tokens', { label: v.label });
        tokenOut.replaceChildren(el('p', {}, t('token_created') + ' ', el('code', { class: 'secret', id: 'new-token', text: r.token })));
      } }), tokenOut));
    // SMPP users
    m.append(B.card(t('smpp_users'), B.table([{ key: 'system_id', label: 'system_id' },
      { label: t('allowed_ips'), render: (u) => (u.allowed_ips || []).join(', ') || t('any_address') },
      { key: 'max_binds', label: t('max_binds') }, { key: 'tps', label: 'TPS' }], d.smpp_users, t('no_smpp_users')),
    B.form({ id: 'smpp-add', submit: t('create_smpp_user'), fields: [
      { name: 'system_id', label: 'system_id', required: true, hint: t('system_id_hint'), attrs: { maxlength: 15, autocomplete: 'off' } },
      { name: 'password', label: t('password'), type: 'password', required: true, hint: t('smpp_password_hint'), attrs: { maxlength: 8, autocomplete: 'new-password' } },
      { name: 'allowed_ips', label: t('allowed_ips'), hint: t('allowed_ips_hint') },
      { name: 'max_binds', label: t('max_binds'), type: 'number', value: 10, attrs: { min: 0 } },
      { name: 'tps', label: 'TPS', type: 'number', value: 50, attrs: { min: 0 } }],
    onSubmit: async (v) => { await B.post('smpp_users', v); reload(); } })));
    // FTP sources
    const ftpResult = el('p', { class: 'hint', id: 'ftp-test-result', role: 'status' });
    const ftpRemove = (s) => el('span', { class: 'actions' },
      el('button', { type: 'button', class: 'secondary', text: t('test_connection'), 'aria-label': t('test_connection') + ' FTP ' + s.id,
        onclick: async (ev) => {
          ev.currentTarget.disabled = true;
          ftpResult.textContent = t('testing');
          try {
            const r = await B.post('ftp_sources/test', { id: s.id });
            ftpResult.textContent = r.ok ? t('ftp_test_ok', r.files) : t('ftp_test_failed', r.error);
          } catch (e) { ftpResult.textContent = e.message; } finally { ev.target.disabled = false; }
        } }),
      el('button', { type: 'button', class: 'danger', text: t('delete'), 'aria-label': t('delete') + ' FTP ' + s.id,
        onclick: async () => { await B.post('ftp_sources/remove', { id: s.id }); reload(); } }));
    m.append(B.card(t('ftp_sources'), el('p', { class: 'hint', text: t('ftp_hint') }),
      B.table([{ key: 'description', label: t('source') }, { key: 'last_poll', label: t('last_poll') }, { key: 'files', label: t('files') },
        { key: 'last_error', label: t('last_error') }, { label: t('actions'), render: ftpRemove }], d.ftp_sources, t('no_ftp')), ftpResult,
      B.form({ id: 'ftp-add', submit: t('add_ftp'), fields: [
        { name: 'url', label: t('ftp_url'), required: true, hint: t('ftp_url_hint'), attrs: { autocomplete: 'off', spellcheck: 'false' } },
        { name: 'tls', label: 'TLS', type: 'select', options: [['', t('tls_from_url')], ['none', t('tls_none')], ['explicit', 'FTPS (explicit)'], ['implicit', 'FTPS (implicit)']] },
        { name: 'interval_s', label: t('interval_s'), type: 'number', value: 60, attrs: { min: 1 } },
        { name: 'sender', label: t('sender') }, { name: 'text', label: t('ftp_text'), hint: t('ftp_text_hint') },
        { name: 'after', label: t('ftp_after'), type: 'select', options: [['delete', t('after_delete')], ['move', t('after_move')], ['keep', t('after_keep')]] },
        { name: 'move_dir', label: t('move_dir'), value: 'processed' }],
      onSubmit: async (v) => { await B.post('ftp_sources', v); reload(); } })));
    // SQL sources (standard layout; custom mappings are the operator's)
    const sqlResult = el('p', { class: 'hint', id: 'sql-test-result', role: 'status' });
    m.append(B.card(t('sql_sources'), el('p', { class: 'hint', text: t('sql_hint') }),
      B.table([{ key: 'engine', label: t('engine') }, { label: t('source'), render: (s) => `${s.user}@${s.host}:${s.port}/${s.database}` },
        { label: t('status'), render: (s) => s.state }, { key: 'last_error', label: t('last_error') },
        { label: t('actions'), render: (s) => el('span', { class: 'actions' },
          el('button', { type: 'button', class: 'secondary', text: t('test_connection'), 'aria-label': t('test_connection') + ' SQL ' + s.id,
            onclick: async (ev) => {
              const b = ev.currentTarget;
              b.disabled = true;
              sqlResult.textContent = t('testing');
              try {
                const r = await B.post('sql_sources/test', { id: s.id });
                sqlResult.textContent = r.ok ? t('sql_test_ok') : t('ftp_test_failed', r.error);
              } catch (e) { sqlResult.textContent = e.message; } finally { b.disabled = false; }
            } }),
          el('button', { type: 'button', class: 'danger', text: t('delete'), 'aria-label': t('delete') + ' SQL ' + s.id,
            onclick: async () => { await B.post('sql_sources/remove', { id: s.id }); reload(); } })) }], d.sql_sources, t('no_sql')), sqlResult,
      B.form({ id: 'sql-add', submit: t('add_sql'), fields: [
        { name: 'url', label: t('sql_url'), required: true, hint: t('sql_url_hint'), attrs: { autocomplete: 'off', spellcheck: 'false' } },
        { name: 'password', label: t('password'), type: 'password', hint: t('sql_password_hint'), attrs: { autocomplete: 'new-password' } },
        { name: 'tls', label: 'TLS', type: 'select', options: [['prefer', 'prefer'], ['require', 'require'], ['verify', 'verify'], ['disable', 'disable']] },
        { name: 'interval_s', label: t('interval_s'), type: 'number', value: 10, attrs: { min: 1 } }],
      onSubmit: async (v) => { await B.post('sql_sources', v); reload(); } })));
    // Callbacks
    const cb = d.callbacks || {};
    m.append(B.card(t('callbacks'), el('p', { class: 'hint', text: t('callbacks_hint') }), B.form({ id: 'callbacks', submit: t('save'), fields: [
      { name: 'dlr_url', label: t('dlr_url'), type: 'url', value: cb.dlr_url }, { name: 'mo_url', label: t('mo_url'), type: 'url', value: cb.mo_url }],
    onSubmit: async (v, f) => { await B.post('callbacks', v); f.showOk(t('saved')); } })));
  } };
})(window.B);
