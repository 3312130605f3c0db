// bramka panel: the shell — login, the menu, the language switch and hash routing.
// Pages register themselves in B.pages (pages_*.js) as {title, render(main)}.
'use strict';
(function (B) {
  const el = B.el;
  B.pages = B.pages || {};
  B.session = null;  // {kind: 'customer'|'operator', account, csrf}

  const CUSTOMER_MENU = ['dashboard', 'send', 'messages', 'inbox', 'contacts', 'senders', 'templates', 'blacklist', 'subaccounts', 'integrations'];
  const OPERATOR_MENU = ['op/accounts', 'op/signups', 'op/senders', 'op/numbers', 'op/inbox', 'op/health'];

  function main() { return document.getElementById('main'); }

  function applyLanguage() {
    document.documentElement.lang = B.lang;
    document.getElementById('lang').value = B.lang;
    document.getElementById('lang-label').textContent = B.t('language');
    document.getElementById('logout').textContent = B.t('logout');
    document.getElementById('skip-link').textContent = B.t('skip');
    document.getElementById('nav').setAttribute('aria-label', B.t('menu'));
    document.getElementById('menu-toggle').setAttribute('aria-label', B.t('menu'));
  }

  function renderNav(current) {
    const nav = document.getElementById('nav');
    nav.replaceChildren();
    const toggle = document.getElementById('menu-toggle');
    if (!B.session) { toggle.hidden = true; return; }
    toggle.hidden = false;
    const items = B.session.kind === 'operator' ? OPERATOR_MENU : CUSTOMER_MENU;
    for (const p of items) {
      nav.append(el('a', { href: '#/' + p, text: B.t('page_' + p.replace('/', '_')), 'aria-current': p === current ? 'page' : undefined }));
    }
  }

  async function route() {
    const m = main();
    const hash = location.hash.replace(/^#\/?/, '');
    if (!B.session) return renderLogin(hash === 'operator');
    const items = B.session.kind === 'operator' ? OPERATOR_MENU : CUSTOMER_MENU;
    const page = items.includes(hash) ? hash : items[0];
    renderNav(page);
    document.getElementById('nav').classList.remove('open');
    document.getElementById('menu-toggle').setAttribute('aria-expanded', 'false');
    document.getElementById('who').textContent = B.session.kind === 'operator' ? B.t('operator') : B.session.account;
    document.getElementById('logout').hidden = false;
    const def = B.pages[page];
    const title = B.t('page_' + page.replace('/', '_'));
    document.title = title + ' · bramka';
    // Pages render into a detached view that replaces the old one when complete; a
    // newer navigation (or reload) started meanwhile wins.
    const gen = ++generation;
    m.dataset.page = page;
    m.removeAttribute('data-ready');
    const view = el('div', { class: 'view' });
    try {
      await def.render(view);
    } catch (e) {
      view.append(B.notice(e.message || String(e), true));
    }
    if (gen !== generation) return;
    m.replaceChildren(el('h1', { text: title }), view);
    m.dataset.ready = page;
  }
  let generation = 0;
  B.route = route;

  function renderLogin(operator) {
    ++generation;
    renderNav('');
    document.getElementById('who').textContent = '';
    document.getElementById('logout').hidden = true;
    document.title = B.t('login') + ' · bramka';
    const m = main();
    const fields = operator
      ? [{ name: 'password', label: B.t('operator_password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } }]
      : [{ name: 'username', label: B.t('username'), required: true, attrs: { autocomplete: 'username' } },
        { name: 'password', label: B.t('password'), type: 'password', required: true, attrs: { autocomplete: 'current-password' } }];
    const form = B.form({
      id: operator ? 'operator-login' : 'login', fields, submit: B.t('login'),
      onSubmit: async (v) => {
        const s = await B.post(operator ? 'operator/login' : 'login', operator ? { password: v.password } : { username: v.username, password: v.password });
        B.session = s; B.csrf = s.csrf;
        location.hash = operator ? '#/op/accounts' : '#/dashboard';
        route();
      },
    });
    m.replaceChildren(el('div', { class: 'login card' },
      el('h1', { text: operator ? B.t('operator_login') : B.t('login') }), form,
      el('p', {}, el('a', { href: operator ? '#/' : '#/operator', text: operator ? B.t('customer_login_link') : B.t('operator_login_link') }))));
    m.dataset.page = operator ? 'operator-login' : 'login';
    m.dataset.ready = m.dataset.page;
    form.inputs[operator ? 'password' : 'username'].focus();
  }

  B.onLoggedOut = function () {
    if (!B.session) return;
    B.session = null; B.csrf = '';
    route();
  };

  async function start() {
    applyLanguage();
    document.getElementById('lang').addEventListener('change', (e) => {
      B.lang = e.target.value; localStorage.setItem('bramka.lang', B.lang); applyLanguage(); route();
    });
    document.getElementById('logout').addEventListener('click', async () => {
      try { await B.post('logout'); } catch (e) { /* the session is gone anyway */ }
      B.session = null; B.csrf = ''; location.hash = '#/'; route();
    });
    document.getElementById('menu-toggle').addEventListener('click', (e) => {
      const nav = document.getElementById('nav');
      const open = nav.classList.toggle('open');
      e.currentTarget.setAttribute('aria-expanded', String(open));
    });
    window.addEventListener('hashchange', route);
    try {
      const s = await B.get('session');
      B.session = s; B.csrf = s.csrf;
    } catch (e) { B.session = null; }
    route();
  }
  document.addEventListener('DOMContentLoaded', start);
})(window.B);
