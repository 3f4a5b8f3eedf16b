// The booking site in Debian's chromium (puppeteer-core), against the real
// bookingd, PostgreSQL and SMTP sink that run.sh set up. Each case does what a
// customer does, with the mouse or the keyboard, and checks what they see:
// the texts, the emails, and on every page axe-core's serious and critical
// findings (none allowed), no request to another host, no horizontal scroll
// at 375 px. A screenshot of every step lands in $SCREENSHOTS.
import assert from 'node:assert/strict';
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

async function newPage({ width = 1280, height = 900, zone = 'Europe/London' } = {}) {
  const context = await browser.createBrowserContext();  // its own sessionStorage
  const page = await context.newPage();
  await page.setViewport({ width, height });
  await page.emulateTimezone(zone);
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

// The confirmation email of a recipient: its text, once the sink has it.
async function mailTo(address, subject, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fs.existsSync(MAIL_DIR)) {
      for (const f of fs.readdirSync(MAIL_DIR).filter((x) => x.endsWith('.eml'))) {
        const m = fs.readFileSync(path.join(MAIL_DIR, f), 'utf8');
        if (m.includes(`To: ${address}`) || m.includes(`<${address}>`)) {
          if (m.includes(`Subject: ${subject}`)) return m;
        }
      }
    }
    if (Date.now() > deadline) throw new Error(`no "${subject}" email to ${address} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function api(pathname, { method = 'GET', body, token } = {}) {
  const res = await fetch(`${BASE}${pathname}`, {
    method, body: body && JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const customer = { name: 'Ann Example', email: `ann@${DOMAIN}` };

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
    assert.match(mail, /First assessment/);
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
    await fillField(page, 'Password', PASSWORD);
    await page.click('form.signin-form button[type="submit"]');
    await page.waitForSelector('article.booking');
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
    const page = await newPage({ width: 375, height: 812, zone: 'America/New_York' });
    await visit(page, '/');
    await checkNoHorizontalScroll(page, '/');
    await snap(page, 'phone-home');
    await visit(page, '/book/assessment');
    await page.waitForSelector('button[data-date]:not([disabled])');
    assert.match(await text(page, '.zone-warn'), /America\/New_York/);
    await chooseDayAndTime(page);
    await page.waitForSelector('form.book-form');
    await checkNoHorizontalScroll(page, '/book/assessment');
    await snap(page, 'phone-book');
    await checkAccessible(page, '/book/assessment at 375 px');
    for (const p of ['/bookings', '/sign-in', '/reset', '/manage/1']) {
      await page.goto(`${BASE}${p}`, { waitUntil: 'networkidle0' });
      await page.waitForSelector('main h1');
      await checkNoHorizontalScroll(page, p);
      await checkAccessible(page, p);
      await snap(page, `phone${p.replace(/\//g, '-')}`);
    }
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
