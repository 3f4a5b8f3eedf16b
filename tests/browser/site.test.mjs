// The booking site in Debian's chromium (puppeteer-core), against the real
// bookingd, PostgreSQL and SMTP sink that run.sh set up. Each case does what a
// customer does, with the mouse or the keyboard, and checks what they see:
// the texts, the emails and the links in them (manage, reset, sign-in), and
// on every page axe-core's serious and critical findings (none allowed), no
// request to another host, no horizontal scroll at 375 px. A screenshot of
// every step lands in $SCREENSHOTS.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BASE = process.env.BASE_URL;
const MAIL_DIR = process.env.MAIL_DIR;
const DOMAIN = process.env.MAIL_DOMAIN;
const SHOTS = process.env.SCREENSHOTS;
const SINK = process.env.SMTP_SINK;  // tests/support/smtp_sink.py, which decodes what it stored
const PASSWORD = 'correct horse battery';

const foreignRequests = [];
const pageErrors = [];
let shot = 0;

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  userDataDir: fs.mkdtempSync('/tmp/bookingd-chromium-'),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', '--lang=en-GB'],
});

async function newPage({ width = 1280, height = 900, zone = 'Europe/London', lang = 'en-GB' } = {}) {
  const context = await browser.createBrowserContext();  // its own sessionStorage
  const page = await context.newPage();
  await page.setViewport({ width, height });
  await page.emulateTimezone(zone);
  // The visitor's languages (navigator.languages; headless chromium ignores --lang).
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setUserAgentOverride', { userAgent: await browser.userAgent(), acceptLanguage: lang });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(`${BASE}/`) && !u.startsWith('blob:') && !u.startsWith('data:')) foreignRequests.push(u);
  });
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('dialog', async (d) => {
    pageErrors.push(`a dialog opened: ${d.message()}`);
    await d.dismiss();
  });
  return page;
}

async function snap(page, name) {
  shot += 1;
  await page.screenshot({ path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

// axe-core, evaluated through the DevTools protocol (so the page's CSP, which
// forbids injected scripts, stays as it is).
async function checkAccessible(page, what) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(result, [], `axe on ${what}`);
}

async function checkNoHorizontalScroll(page, what) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${what}: ${scroll}px wide in a ${client}px window`);
}

async function visit(page, url) {
  await page.goto(`${BASE}${url}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('main h1');
}

const text = (page, selector) => page.$eval(selector, (el) => el.textContent);
const statusText = (page) => page.$$eval('[role="status"]', (els) => els.map((e) => e.textContent).join(' | '));
const alertText = (page) => page.$$eval('[role="alert"]', (els) => els.map((e) => e.textContent).join(' | '));

async function firstFreeDay(page) {
  await page.waitForSelector('button[data-date]:not([disabled])');
  return page.$eval('button[data-date]:not([disabled])', (b) => b.dataset.date);
}

async function chooseDayAndTime(page, { index = 0 } = {}) {
  const date = await firstFreeDay(page);
  await page.click(`button[data-date="${date}"]`);
  await page.waitForSelector('button[data-start]');
  const starts = await page.$$eval('button[data-start]', (bs) => bs.map((b) => b.dataset.start));
  await page.click(`button[data-start="${starts[index]}"]`);
  return { date, start: starts[index], starts };
}

async function fillField(page, label, value) {
  const id = await page.evaluate((l) => {
    const found = [...document.querySelectorAll('label')].find((x) => x.textContent === l && x.offsetParent !== null);
    return found ? found.htmlFor : null;
  }, label);
  assert.ok(id, `a visible field labelled ${label}`);
  await page.click(`#${id}`, { clickCount: 3 });
  await page.type(`#${id}`, value);
}

async function chooseMode(page, labelText) {
  await page.evaluate((l) => {
    [...document.querySelectorAll('.choice label')].find((x) => x.textContent === l).click();
  }, labelText);
}

// An email as the sink's `inspect` reads it (MIME and quoted-printable
// decoded): {to, subject, text}.
const inspected = new Map();
function readMail(file) {
  if (!inspected.has(file)) {
    const m = JSON.parse(execFileSync('/usr/bin/python3', [SINK, 'inspect', file], { encoding: 'utf8' }));
    const header = (name) => (m.headers.find(([k]) => k.toLowerCase() === name) || [])[1] || '';
    inspected.set(file, {
      to: header('to'), subject: header('subject'),
      text: m.parts.filter((p) => p.content_type === 'text/plain').map((p) => p.text).join('\n'),
    });
  }
  return inspected.get(file);
}

// The first email to address whose subject starts with subject (and whose
// text passes having), once the sink has it.
async function mailTo(address, subject, { having = () => true, timeoutMs = 15000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fs.existsSync(MAIL_DIR)) {
      const files = fs.readdirSync(MAIL_DIR).filter((x) => x.endsWith('.eml'))
        .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
      for (const f of files) {
        const m = readMail(path.join(MAIL_DIR, f));
        if (m.to.includes(address) && m.subject.startsWith(subject) && having(m.text)) return m;
      }
    }
    if (Date.now() > deadline) throw new Error(`no "${subject}" email to ${address} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The link in an email's text that starts with BASE + prefix.
function linkIn(mail, prefix) {
  const at = mail.text.indexOf(`${BASE}${prefix}`);
  assert.ok(at >= 0, `a link to ${prefix} in "${mail.subject}":\n${mail.text}`);
  return mail.text.slice(at).split(/\s/)[0];
}

// A visit to an email's link; the secret after # leaves the address bar.
async function follow(page, link) {
  await page.goto(link, { waitUntil: 'networkidle0' });
  await page.waitForSelector('main h1');
  assert.ok(!page.url().includes('#'), `the secret left the address bar: ${page.url()}`);
}

const clickButton = async (page, label) => {
  const [b] = await page.$$(`xpath/.//button[normalize-space(.)="${label}" and not(ancestor-or-self::*[@hidden])]`);
  assert.ok(b, `a button "${label}"`);
  await b.click();
};
const waitForStatus = (page, re) => page.waitForFunction((src) => [...document.querySelectorAll('[role="status"]')]
  .some((e) => new RegExp(src).test(e.textContent)), {}, re.source);
const waitForAlert = (page, re) => page.waitForFunction((src) => [...document.querySelectorAll('[role="alert"]')]
  .some((e) => new RegExp(src).test(e.textContent)), {}, re.source);

async function api(pathname, { method = 'GET', body, token } = {}) {
  const res = await fetch(`${BASE}${pathname}`, {
    method, body: body && JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

// A free start of service from tomorrow on (London dates), through the API.
async function freeStart(service, index = 0) {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
  for (let i = 1; i <= 40; i++) {
    const date = day.format(new Date(Date.now() + i * 86400000));
    const { body } = await api(`/v1/availability?date=${date}&service=${service}`);
    if (body.slots.length > index) return body.slots[index].start;
  }
  throw new Error(`no free ${service} time within 40 days`);
}

const customer = { name: 'Ann Example', email: `ann@${DOMAIN}`, password: PASSWORD };
let manageLink = null;  // of a booking cancelled through it (the manage case)

const cases = {
  async 'a new customer books from / to the confirmation email'() {
    const page = await newPage();
    await visit(page, '/');
    assert.equal(await text(page, 'main h1'), 'Riverside Physio');
    await snap(page, 'home');
    await checkAccessible(page, '/');
    await page.click('a[href="/book/assessment"]');
    await page.waitForSelector('button[data-date]:not([disabled])');
    assert.match(await text(page, '.zone'), /London/);
    assert.equal(await page.$('.zone-warn'), null, 'no zone warning for a London browser');
    await snap(page, 'month');
    await checkAccessible(page, '/book/assessment (month)');
    const { date, start } = await chooseDayAndTime(page);
    await page.waitForSelector('form.book-form');
    // A page in en seen from an en-GB browser: the day before the month, a 24-hour clock.
    assert.match(await text(page, '.summary'), /^First assessment · \w+day,? \d{1,2} \w+ \d{4} at \d{1,2}:\d{2} \(GMT\)/);
    await snap(page, 'form');
    await checkAccessible(page, '/book/assessment (form)');
    await fillField(page, 'Name', customer.name);
    await fillField(page, 'Email', customer.email);
    await fillField(page, 'Password', PASSWORD);
    await fillField(page, 'Notes', 'Left knee, <b>since March</b>');
    await page.click('form.book-form button[type="submit"]');
    await page.waitForSelector('.confirmation');
    assert.match(await statusText(page), /confirmed/);
    await snap(page, 'confirmation');
    await checkAccessible(page, 'confirmation');
    // The .ics download: fetched with the token, offered as a file.
    const cdp = await page.browser().target().createCDPSession();
    const downloads = fs.mkdtempSync('/tmp/bookingd-downloads-');
    await cdp.send('Browser.setDownloadBehavior', {
      behavior: 'allow', downloadPath: downloads, eventsEnabled: true, browserContextId: page.browserContext().id });
    const done = new Promise((resolve, reject) => {
      cdp.on('Browser.downloadProgress', (e) => e.state === 'completed' && resolve());
      setTimeout(() => reject(new Error('the .ics download did not complete within 10 s')), 10000);
    });
    const [ics] = await page.$$('xpath/.//button[contains(., ".ics")]');
    await ics.click();
    await done;
    const file = fs.readdirSync(downloads)[0];
    assert.match(file, /^booking-\d+\.ics$/);
    assert.match(fs.readFileSync(path.join(downloads, file), 'utf8'), /BEGIN:VEVENT/);
    const mail = await mailTo(customer.email, 'Booking confirmed');
    assert.match(mail.subject, /First assessment/);
    assert.match(mail.text, new RegExp(`Manage your booking: ${BASE}/manage/\\d+#bm_`));
    customer.date = date;
    customer.start = start;
  },

  async 'a service named <img src=x onerror=alert(1)> shows as text'() {
    const page = await newPage();
    await visit(page, '/');
    const names = await page.$$eval('.service-name', (els) => els.map((e) => e.textContent));
    assert.ok(names.includes('<img src=x onerror=alert(1)>'), names.join(', '));
    assert.equal(await page.$('main img'), null, 'no image made from a name');
    assert.equal(await page.$('main b'), null, 'no markup from a description');
    await page.click('a[href="/book/xss"]');
    await page.waitForSelector('button[data-date]');
    assert.equal(await text(page, 'main h1'), '<img src=x onerror=alert(1)>');
    assert.equal(await page.$('main img'), null);
    await snap(page, 'xss-as-text');
  },

  async 'a time taken meanwhile says so and shows the day again'() {
    const page = await newPage();
    await visit(page, '/book/follow-up');
    const { date, start } = await chooseDayAndTime(page, { index: 2 });
    await page.waitForSelector('form.book-form');
    // Someone else books that time while this customer types.
    const other = await api('/v1/auth/register', { method: 'POST', body: { email: `bob@${DOMAIN}`, password: PASSWORD, name: 'Bob' } });
    assert.equal(other.status, 201);
    const taken = await api('/v1/bookings', { method: 'POST', token: other.body.token, body: { service: 'follow-up', start } });
    assert.equal(taken.status, 201, JSON.stringify(taken.body));
    await fillField(page, 'Name', 'Carol');
    await fillField(page, 'Email', `carol@${DOMAIN}`);
    await fillField(page, 'Password', PASSWORD);
    await page.click('form.book-form button[type="submit"]');
    await page.waitForFunction(() => document.querySelector('[role="alert"]'));
    assert.match(await alertText(page), /taken/);
    await page.waitForFunction((s) => document.querySelectorAll('button[data-start]').length > 0
      && !document.querySelector(`button[data-start="${s}"]`), {}, start);
    await snap(page, 'time-taken');
    await checkAccessible(page, 'time taken');
    assert.ok(date);
  },

  async 'sign in, reschedule and cancel from /bookings'() {
    assert.ok(customer.start, 'the first case booked');
    const page = await newPage();
    await visit(page, '/bookings');
    await snap(page, 'sign-in');
    await checkAccessible(page, '/bookings (signed out)');
    await fillField(page, 'Email', customer.email);
    await fillField(page, 'Password', customer.password);
    await page.click('form.signin-form button[type="submit"]');
    await page.waitForSelector('article.booking');
    assert.match(await text(page, 'article .notes'), /<b>since March<\/b>/);
    assert.equal(await page.$('main b'), null, 'notes are shown as text');
    await snap(page, 'bookings');
    await checkAccessible(page, '/bookings');
    const [move] = await page.$$('xpath/.//article//button[contains(., "Change time")]');
    await move.click();
    await page.waitForSelector('.reschedule button[data-date]:not([disabled])');
    const { start } = await chooseDayAndTime(page, { index: 3 });
    assert.notEqual(start, customer.start);
    await snap(page, 'reschedule');
    const [go] = await page.$$('xpath/.//button[starts-with(., "Move to")]');
    await go.click();
    await page.waitForFunction(() => /moved/.test(document.querySelector('[role="status"]')?.textContent || ''));
    await mailTo(customer.email, 'Booking rescheduled');
    await snap(page, 'rescheduled');
    const [cancel] = await page.$$('xpath/.//article//button[contains(., "Cancel booking")]');
    await cancel.click();
    const [yes] = await page.$$('xpath/.//button[contains(., "Yes, cancel it")]');
    await snap(page, 'cancel-confirm');
    await yes.click();
    await page.waitForFunction(() => /cancelled/.test(document.querySelector('[role="status"]')?.textContent || ''));
    assert.match(await text(page, 'article .badge'), /Cancelled/);
    await mailTo(customer.email, 'Booking cancelled');
    await snap(page, 'cancelled');
    await checkAccessible(page, '/bookings (cancelled)');
  },

  async 'cancel from the manage link in the confirmation email, without signing in'() {
    const erin = { email: `erin@${DOMAIN}`, name: 'Erin' };
    const reg = await api('/v1/auth/register', { method: 'POST', body: { ...erin, password: PASSWORD } });
    assert.equal(reg.status, 201);
    const made = await api('/v1/bookings', { method: 'POST', token: reg.body.token, body: { service: 'follow-up', start: await freeStart('follow-up', 4) } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const id = made.body.id;
    const mail = await mailTo(erin.email, 'Booking confirmed', { having: (t) => t.includes(`/manage/${id}#`) });
    manageLink = linkIn(mail, `/manage/${id}#`);
    assert.match(manageLink, /#bm_[A-Za-z0-9_-]{20,}$/);

    const page = await newPage();  // a fresh browser: nobody signed in
    await follow(page, manageLink);
    await page.waitForSelector('article.booking');
    assert.equal(await text(page, 'main h1'), 'Your booking');
    assert.equal(await text(page, 'article h2'), 'Follow-up treatment');
    assert.match(await text(page, 'article .badge'), /Confirmed/);
    assert.match(await text(page, 'article .muted'), new RegExp(`${id}`));
    await snap(page, 'manage');
    await checkAccessible(page, '/manage/{id}');
    await clickButton(page, 'Cancel booking');
    await snap(page, 'manage-cancel-confirm');
    await checkAccessible(page, '/manage/{id} (asking)');
    await clickButton(page, 'Yes, cancel it');
    await waitForStatus(page, /cancelled/);
    assert.match(await text(page, 'article .badge'), /Cancelled/);
    const left = await page.$$eval('article button', (bs) => bs.map((b) => b.textContent));
    assert.deepEqual(left, [], 'nothing left to do to a cancelled booking');
    await mailTo(erin.email, 'Booking cancelled');
    await snap(page, 'manage-cancelled');
    await checkAccessible(page, '/manage/{id} (cancelled)');
    // The link still shows the booking afterwards (SPEC §8), in this tab and in a new visit.
    await page.reload({ waitUntil: 'networkidle0' });
    await page.waitForSelector('article.booking');
    assert.match(await text(page, 'article .badge'), /Cancelled/);
    const again = await newPage();
    await follow(again, manageLink);
    await again.waitForSelector('article.booking');
    assert.match(await text(again, 'article .badge'), /Cancelled/);
    // A wrong secret is told plainly.
    const wrong = await newPage();
    await follow(wrong, `${BASE}/manage/${id}#bm_${'A'.repeat(43)}`);
    await waitForAlert(wrong, /does not work/);
    assert.equal(await wrong.$('article.booking'), null);
    await snap(wrong, 'manage-wrong-link');
    await checkAccessible(wrong, '/manage/{id} (a wrong link)');
  },

  async 'a forgotten password set anew from the reset email'() {
    const page = await newPage();
    await visit(page, '/sign-in');
    assert.equal(await text(page, 'main h1'), 'Sign in');
    await snap(page, 'sign-in-page');
    await checkAccessible(page, '/sign-in');
    await fillField(page, 'Email', customer.email);
    await clickButton(page, 'Forgot your password?');
    await waitForStatus(page, /emailed a link/);
    await snap(page, 'reset-asked');
    const mail = await mailTo(customer.email, 'Reset your password');
    const link = linkIn(mail, '/reset#');
    await follow(page, link);
    assert.equal(await text(page, 'main h1'), 'Set a new password');
    await snap(page, 'reset');
    await checkAccessible(page, '/reset');
    const fresh = 'a new and longer secret';
    await fillField(page, 'Password', fresh);
    await clickButton(page, 'Save the new password');
    await waitForStatus(page, /new password is saved/);
    await snap(page, 'reset-done');
    await checkAccessible(page, '/reset (done)');
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('a[href="/bookings"].button')]);
    await page.waitForSelector('article.booking');
    assert.match(await text(page, 'main .page-head .muted'), new RegExp(customer.name));
    assert.equal((await api('/v1/auth/login', { method: 'POST', body: { email: customer.email, password: customer.password } })).status, 401);
    assert.equal((await api('/v1/auth/login', { method: 'POST', body: { email: customer.email, password: fresh } })).status, 200);
    customer.password = fresh;
    // The link works once.
    const twice = await newPage();
    await follow(twice, link);
    await fillField(twice, 'Password', 'yet another secret');
    await clickButton(twice, 'Save the new password');
    await waitForAlert(twice, /expired or was already used/);
    assert.ok(await twice.$('main a[href="/sign-in"]'), 'the way to ask for a new one');
    await snap(twice, 'reset-used-link');
    await checkAccessible(twice, '/reset (a used link)');
  },

  async 'a sign-in link from the booking form comes back to the chosen time'() {
    const page = await newPage();
    await visit(page, '/book/follow-up');
    const { start } = await chooseDayAndTime(page, { index: 1 });
    await page.waitForSelector('form.book-form');
    await chooseMode(page, 'Email me a sign-in link');
    await fillField(page, 'Email', customer.email);
    await clickButton(page, 'Send me a link');
    await waitForStatus(page, /sign-in link is on its way/);
    assert.equal(await page.$('form.book-form button[type="submit"]:not([hidden])'), null, 'no Book button until signed in');
    await snap(page, 'sign-in-link-sent');
    await checkAccessible(page, '/book/follow-up (link sent)');
    const mail = await mailTo(customer.email, 'Your sign-in link');
    const link = linkIn(mail, '/sign-in#');
    await follow(page, link);
    await waitForStatus(page, /You are signed in/);
    await page.waitForFunction(() => /^Continue booking Follow-up treatment on /.test(
      document.querySelector('main a.button[href^="/book/"]')?.textContent || ''));
    await snap(page, 'signed-in-by-link');
    await checkAccessible(page, '/sign-in (signed in by link)');
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('main a.button[href^="/book/follow-up?start="]')]);
    await page.waitForSelector('form.book-form');
    assert.match(await text(page, '.signed-in'), new RegExp(`Booking as ${customer.name}`));
    assert.equal(await page.$eval('button[data-start][aria-pressed="true"]', (b) => b.dataset.start), start);
    await snap(page, 'back-to-the-time');
    await page.click('form.book-form button[type="submit"]');
    await page.waitForSelector('.confirmation');
    assert.match(await statusText(page), /confirmed/);
    await mailTo(customer.email, 'Booking confirmed: Follow-up treatment');
    await snap(page, 'booked-after-link');
    // The link works once.
    const twice = await newPage();
    await follow(twice, link);
    await waitForAlert(twice, /expired or was already used/);
    assert.ok(await twice.$('form.signin-form'), 'the sign-in form instead');
    await snap(twice, 'sign-in-used-link');
    await checkAccessible(twice, '/sign-in (a used link)');
  },

  async 'an unknown page is the site\'s own 404'() {
    const page = await newPage();
    const res = await page.goto(`${BASE}/nope`, { waitUntil: 'networkidle0' });
    assert.equal(res.status(), 404);
    assert.match(res.headers()['content-type'], /text\/html/);
    await page.waitForSelector('main h1');
    assert.equal(await text(page, 'main h1'), 'Page not found');
    assert.match(await page.title(), /Page not found/);
    assert.ok(await page.$('main a[href="/"]'), 'a way back to the services');
    await snap(page, 'not-found');
    await checkAccessible(page, '/nope');
  },

  async 'a customer books with the keyboard alone'() {
    const page = await newPage();
    await visit(page, '/');
    const press = (key, times = 1) => (async () => { for (let i = 0; i < times; i++) await page.keyboard.press(key); })();
    const focused = () => page.evaluate(() => {
      const a = document.activeElement;
      return { tag: a.tagName, text: a.textContent, href: a.getAttribute('href'), date: a.dataset.date, start: a.dataset.start, label: a.labels?.[0]?.textContent };
    });
    // Tab to the first service and open it.
    for (let i = 0; i < 20; i++) {
      await press('Tab');
      if ((await focused()).href === '/book/assessment') break;
    }
    assert.equal((await focused()).href, '/book/assessment');
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), press('Enter')]);
    await page.waitForSelector('button[data-date]:not([disabled])');
    for (let i = 0; i < 60 && !(await focused()).date; i++) await press('Tab');
    assert.ok((await focused()).date, 'a day button takes the focus');
    await press('Enter');
    await page.waitForSelector('button[data-start]');
    // Focus moved to the day's times; the next Tab is the first time.
    assert.match((await focused()).text, /Free times on/);
    await press('Tab');
    assert.ok((await focused()).start, 'a time button follows');
    await press('Space');
    await page.waitForSelector('form.book-form');
    await snap(page, 'keyboard-form');
    for (let i = 0; i < 15 && (await focused()).label !== 'Name'; i++) await press('Tab');
    assert.equal((await focused()).label, 'Name');
    await page.keyboard.type('Dana Keys');
    await press('Tab');
    await page.keyboard.type(`dana@${DOMAIN}`);
    await press('Tab');
    await page.keyboard.type(PASSWORD);
    await press('Enter');  // submits the form
    await page.waitForSelector('.confirmation');
    assert.match(await statusText(page), /confirmed/);
    await snap(page, 'keyboard-confirmation');
  },

  async 'no horizontal scroll at 375 px, and times named when the device is elsewhere'() {
    const page = await newPage({ width: 375, height: 812, zone: 'America/New_York', lang: 'en-US' });
    await visit(page, '/');
    await checkNoHorizontalScroll(page, '/');
    await snap(page, 'phone-home');
    await visit(page, '/book/assessment');
    await page.waitForSelector('button[data-date]:not([disabled])');
    assert.match(await text(page, '.zone-warn'), /America\/New_York/);
    await chooseDayAndTime(page);
    await page.waitForSelector('form.book-form');
    assert.match(await text(page, '.summary'), /\w+day, \w+ \d{1,2}, \d{4} at \d{1,2}:\d{2}\s[AP]M/, 'en-US: its own format');
    await checkNoHorizontalScroll(page, '/book/assessment');
    await snap(page, 'phone-book');
    await checkAccessible(page, '/book/assessment at 375 px');
    const pages = [['/bookings', '/bookings'], ['/sign-in', '/sign-in'], ['/reset', '/reset'], ['/nope', '/nope'],
      ['/manage/{id}', manageLink]];
    for (const [name, p] of pages) {
      assert.ok(p, `${name}: its link is known`);
      await page.goto(p.startsWith('/') ? `${BASE}${p}` : p, { waitUntil: 'networkidle0' });
      await page.waitForSelector('main h1');
      if (name === '/manage/{id}') await page.waitForSelector('article.booking');
      await checkNoHorizontalScroll(page, name);
      await checkAccessible(page, `${name} at 375 px`);
      await snap(page, `phone-${name.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}`);
    }
    // Signed in, the list of bookings too.
    await page.goto(`${BASE}/bookings`, { waitUntil: 'networkidle0' });
    await fillField(page, 'Email', customer.email);
    await fillField(page, 'Password', customer.password);
    await page.click('form.signin-form button[type="submit"]');
    await page.waitForSelector('article.booking');
    await checkNoHorizontalScroll(page, '/bookings (signed in)');
    await checkAccessible(page, '/bookings (signed in) at 375 px');
    await snap(page, 'phone-bookings-signed-in');
  },
};

let failed = 0;
for (const [name, run] of Object.entries(cases)) {
  const t0 = Date.now();
  try {
    await run();
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}\n     ${String(e.stack || e).split('\n').slice(0, 6).join('\n     ')}`);
  }
}
for (const [what, list] of [['requests to another host', foreignRequests], ['page errors', pageErrors]]) {
  if (list.length) {
    failed += 1;
    console.log(`FAIL ${what}:\n     ${list.slice(0, 10).join('\n     ')}`);
  } else {
    console.log(`ok   no ${what}`);
  }
}
await browser.close();
console.log(failed ? `${failed} failed` : 'all passed');
process.exit(failed ? 1 : 0);
