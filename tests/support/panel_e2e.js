// End-to-end test of the web panel in Debian's Chromium, driven by playwright-core
// (PEERS.md: executablePath /usr/bin/chromium, a fresh --user-data-dir, never
// `npx playwright install`). tests/integration/test_panel.py starts the real bramka
// and runs this with:
//   BASE_URL         http://127.0.0.1:PORT
//   OPERATOR_PASSWORD the operator's panel password
//   SHOTS_DIR        where the screenshots go (one per page)
// Exits 0 when every scenario passed; prints one line per step.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SHOTS_DIR;
const OP_PASSWORD = process.env.OPERATOR_PASSWORD;
const T = 15000;  // bound of every wait

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
  console.log('ok  ' + what);
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bramka-chromium-'));
  // playwright-core passes the fresh profile as --user-data-dir itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 900 }, locale: 'pl-PL', acceptDownloads: true,
  });
  const errors = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(T);
    page.on('pageerror', (e) => errors.push(String(e)));
    // Refused requests (401, 403, 400) are expected here; script errors are not.
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
    const shot = async (name, p = page) => {
      const file = path.join(SHOTS, name + '.png');
      await p.screenshot({ path: file, fullPage: true });
      console.log('shot ' + file);
    };
    const ready = (p, name) => p.waitForSelector(`main[data-ready="${name}"]`);
    const go = async (name) => { await page.goto(BASE + '/panel/#/' + name); await ready(page, name); };

    // ---- login: a wrong password is shown next to the password field ----
    await page.goto(BASE + '/panel/');
    await ready(page, 'login');
    await page.selectOption('#lang', 'pl');
    await ready(page, 'login');
    await shot('login');
    await page.fill('#login [name=username]', 'demo');
    await page.fill('#login [name=password]', 'wrong');
    await page.press('#login [name=password]', 'Enter');  // keyboard submit
    const pwErr = page.locator('#login [name=password] ~ .err');
    await pwErr.filter({ hasText: /\S/ }).waitFor();
    check((await pwErr.textContent()).includes('Nieprawidłowy login lub hasło'), 'wrong password: message next to the field');
    check(await page.getAttribute('#login [name=password]', 'aria-invalid') === 'true', 'wrong password: field marked invalid');
    // Every input of the form has a label.
    const unlabelled = await page.$$eval('main input, main select, main textarea', (els) => els.filter((e) => !e.labels || e.labels.length === 0).map((e) => e.name));
    check(unlabelled.length === 0, 'login form inputs have labels');

    await page.fill('#login [name=password]', 'demo');
    await page.click('#login button[type=submit]');
    await ready(page, 'dashboard');
    check(await page.locator('#who').textContent() === 'demo', 'logged in as demo');
    await shot('dashboard');

    // ---- CSRF: a POST with the session cookie but without the token is refused ----
    const noCsrf = await page.evaluate(async () => (await fetch('/panel/api/v2/account/limits', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status);
    check(noCsrf === 403, 'POST without the CSRF token refused (' + noCsrf + ')');

    // ---- send a message and watch it become delivered (simnet) ----
    await go('send');
    await page.fill('#send [name=phone]', '500600700');
    await page.fill('#send [name=text]', 'Zażółć gęślą jaźń — test panelu');
    await page.locator('#text-counter').filter({ hasText: 'GSM-7' }).waitFor();
    check(/części: 1\/6/.test(await page.locator('#text-counter').textContent()), 'live counter: parts and encoding');
    await page.check('#send [name=utf]');
    await page.selectOption('#send [name=sender]', 'INFORMACJA');
    await page.locator('#text-counter').filter({ hasText: 'UCS-2' }).waitFor();
    check(true, 'live counter: UCS-2 with UTF and a sender');
    await page.click('#send button.secondary');
    await page.locator('#cost-preview').filter({ hasText: /Odbiorców: 1/ }).waitFor();
    check(true, 'cost preview: ' + await page.locator('#cost-preview').textContent());
    await page.click('#send button[type=submit]');
    await page.locator('#send-results').filter({ hasText: 'Przyjęto: 1' }).waitFor();
    await page.locator('#send-results .status-delivered').waitFor({ timeout: 30000 });
    check(true, 'sent message became delivered');
    await shot('send');
    // A bad number: the API's error appears next to the phone field.
    await page.fill('#send [name=phone]', '12');
    await page.click('#send button[type=submit]');
    await page.locator('#send [name=phone] ~ .err').filter({ hasText: /\S/ }).waitFor();
    check(true, 'invalid phone: ' + await page.locator('#send [name=phone] ~ .err').textContent());

    // Personalised sending from a CSV file.
    await page.setInputFiles('#send-personal [name=file]', { name: 'personal.csv', mimeType: 'text/csv',
      buffer: Buffer.from('numer;treść\n500600701;Dzień dobry Anno\n500600702;Dzień dobry Janie\n') });
    await page.click('#send-personal button[type=submit]');
    await page.locator('#personal-results').filter({ hasText: 'Przyjęto: 2' }).waitFor();
    await page.locator('#personal-results .status-delivered').nth(1).waitFor({ timeout: 30000 });
    check(true, 'personalised CSV sending: 2 delivered');

    // The dashboard counts them (3 sent today, 3 delivered).
    await go('dashboard');
    const todays = await page.locator('main .card').nth(1).locator('.stat').allTextContents();
    check(todays[0] === '3' && todays[1] === '3', 'dashboard: today sent/delivered ' + todays.join('/'));
    await shot('dashboard-after');

    // ---- phone screen: 375 px wide, no horizontal scrolling ----
    await page.setViewportSize({ width: 375, height: 800 });
    await go('send');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    check(overflow <= 375, 'send page fits 375 px (' + overflow + ')');
    await page.click('#menu-toggle');
    await page.locator('#nav.open').waitFor();
    await shot('send-375px');
    for (const name of ['messages', 'contacts', 'integrations']) {
      await go(name);
      const w = await page.evaluate(() => document.documentElement.scrollWidth);
      check(w <= 375, name + ' fits 375 px (' + w + ')');
    }
    await shot('integrations-375px');
    await page.setViewportSize({ width: 1200, height: 900 });

    // ---- messages: filters and CSV export ----
    await go('messages');
    await page.locator('#report-results table').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#reports button.secondary')]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    check(csv.startsWith('id,phone,status') && csv.includes('+48500600700'), 'CSV export of reports');
    await page.fill('#reports [name=phone]', '500600701');
    await page.click('#reports button[type=submit]');
    // (Polling by locators: the panel's CSP forbids the eval that waitForFunction needs.)
    await page.locator('#report-results td', { hasText: '+48500600700' }).waitFor({ state: 'detached' });
    check(await page.locator('#report-results td', { hasText: '+48500600701' }).count() === 1, 'reports filtered by phone');
    await page.fill('#reports [name=phone]', '');
    await page.click('#reports button[type=submit]');
    await page.locator('#report-results td', { hasText: '+48500600700' }).waitFor();
    await shot('messages');

    // ---- contacts: CSV import ----
    await go('contacts');
    await page.fill('#contact-import [name=group_name]', 'Import z panelu');
    await page.setInputFiles('#contact-import [name=file]', { name: 'kontakty.csv', mimeType: 'text/csv',
      buffer: Buffer.from('telefon;imię;nazwisko;email\n500100200;Anna;Nowak;anna@example.com\n500100201;Jan;Kowalski;\n') });
    await page.click('#contact-import button[type=submit]');
    await page.locator('#contact-import .notice').filter({ hasText: 'Zaimportowano: 2' }).waitFor();
    await ready(page, 'contacts');
    await page.locator('main table', { hasText: 'Kowalski' }).waitFor();
    check(true, 'CSV import: 2 contacts in the new group');
    await shot('contacts');

    // ---- sender name request ----
    await go('senders');
    await page.fill('#sender-add [name=name]', 'PANELTEST');
    await page.click('#sender-add button[type=submit]');
    await page.locator('main td', { hasText: 'PANELTEST' }).waitFor();
    check(await page.locator('main tr', { hasText: 'PANELTEST' }).locator('.status-pending_authorization').count() === 1, 'sender requested, pending approval');
    await shot('senders');

    // ---- integrations: SMPP user (bad CIDR first), FTP source, API token ----
    await go('integrations');
    await page.fill('#smpp-add [name=system_id]', 'panel1');
    await page.fill('#smpp-add [name=password]', 'pw1');
    await page.fill('#smpp-add [name=allowed_ips]', 'not-an-address');
    await page.click('#smpp-add button[type=submit]');
    await page.locator('#smpp-add [name=allowed_ips] ~ .err').filter({ hasText: /\S/ }).waitFor();
    check(true, 'bad CIDR shown next to its field: ' + await page.locator('#smpp-add [name=allowed_ips] ~ .err').textContent());
    await page.fill('#smpp-add [name=allowed_ips]', '127.0.0.1/32');
    await page.click('#smpp-add button[type=submit]');
    await ready(page, 'integrations');
    await page.locator('main td', { hasText: 'panel1' }).waitFor();
    check(true, 'SMPP user created');
    await page.fill('#ftp-add [name=url]', 'ftp://klient:tajne@127.0.0.1:1/out');
    await page.selectOption('#ftp-add [name=after]', 'move');
    await page.click('#ftp-add button[type=submit]');
    await ready(page, 'integrations');
    await page.locator('main td', { hasText: '127.0.0.1' }).first().waitFor();
    check(!(await page.locator('main').textContent()).includes('tajne'), 'FTP source set up; its password is not shown');
    await page.click('main button[aria-label^="Test połączenia FTP"]');
    await page.locator('#ftp-test-result').filter({ hasText: 'Nie udało się połączyć' }).waitFor();
    check(true, 'FTP test connection reports: ' + await page.locator('#ftp-test-result').textContent());
    await page.fill('#sql-add [name=url]', 'mysql://klient@127.0.0.1:1/sms');
    await page.fill('#sql-add [name=password]', 'sekret');
    await page.click('#sql-add button[type=submit]');
    await ready(page, 'integrations');
    await page.locator('main td', { hasText: 'klient@127.0.0.1:1/sms' }).waitFor();
    check(true, 'SQL source added');
    await page.click('main button[aria-label^="Test połączenia SQL"]');
    await page.locator('#sql-test-result').filter({ hasText: 'Nie udało się połączyć' }).waitFor();
    check(true, 'SQL test connection reports: ' + await page.locator('#sql-test-result').textContent());
    await page.fill('#token-add [name=label]', 'panel');
    await page.click('#token-add button[type=submit]');
    await page.locator('#new-token').waitFor();
    check(/^[0-9a-f]{32}$/.test(await page.locator('#new-token').textContent()), 'API token created');
    await shot('integrations');

    for (const name of ['inbox', 'templates', 'subaccounts', 'blacklist']) {
      await go(name);
      await shot(name);
    }
    // English
    await page.selectOption('#lang', 'en');
    await ready(page, 'blacklist');
    check(await page.locator('main h1').textContent() === 'Blacklist', 'language switch to English');
    await page.selectOption('#lang', 'pl');

    // ---- logout, then the operator approves the sender ----
    await page.click('#logout');
    await ready(page, 'login');
    const after = await page.evaluate(async () => (await fetch('/panel/api/session')).status);
    check(after === 401, 'logged out');
    await page.goto(BASE + '/panel/#/operator');
    await ready(page, 'operator-login');
    await page.fill('#operator-login [name=password]', OP_PASSWORD);
    await page.click('#operator-login button[type=submit]');
    await ready(page, 'op/accounts');
    await page.locator('main td', { hasText: 'demo' }).first().waitFor();
    await shot('op-accounts');
    await go('op/senders');
    const row = page.locator('main tr', { hasText: 'PANELTEST' });
    await row.locator('button', { hasText: 'Zatwierdź' }).click();
    await ready(page, 'op/senders');
    await page.locator('main tr', { hasText: 'PANELTEST' }).locator('.status-authorized').waitFor();
    check(true, 'operator approved the sender');
    await shot('op-senders');
    // A signup sent by the customer's API (account/add) approved here.
    await go('op/signups');
    await page.locator('main td', { hasText: 'Nowa Firma' }).waitFor();
    await page.fill('#signup-approve [name=name]', 'nowafirma');
    await page.fill('#signup-approve [name=password]', 'krotkie');
    await page.click('#signup-approve button[type=submit]');
    await page.locator('#signup-approve [name=password] ~ .err').filter({ hasText: /\S/ }).waitFor();
    await page.fill('#signup-approve [name=password]', 'dlugie-haslo-1');
    await page.click('#signup-approve button[type=submit]');
    await ready(page, 'op/signups');
    await page.locator('main', { hasText: 'Brak wniosków.' }).waitFor();
    check(true, 'operator approved a signup (a short password refused first)');
    await shot('op-signups');
    await go('op/numbers');
    await page.selectOption('#number-add [name=kind]', 'ndi');
    await page.fill('#number-add [name=number]', '+48500000077');
    await page.selectOption('#number-add [name=account]', 'demo');
    await page.click('#number-add button[type=submit]');
    await ready(page, 'op/numbers');
    await page.locator('main td', { hasText: '+48500000077' }).waitFor();
    check(true, 'operator added an access number');
    await shot('op-numbers');
    for (const name of ['op/inbox', 'op/health']) {
      await go(name);
      await shot(name.replace('/', '-'));
    }
    check(errors.length === 0, 'no errors in the browser console' + (errors.length ? ': ' + errors.join(' | ') : ''));
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().then(() => { console.log('PASS'); process.exit(0); }, (e) => { console.error('FAIL ' + (e && e.stack || e)); process.exit(1); });
