// bench/site's browser half: bytes over the wire for the first page, the API
// requests of one month view, and LCP, in headless chromium. Each page is
// loaded with the HTTP cache off (a first visit), once in a browser that has
// just started and then RUNS more times (median); WATERFALL=1 prints when each
// request started and ended, and which element was the largest paint.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(`${process.env.NODE_PATH}/`);
const puppeteer = require('puppeteer-core');
const [base, service] = process.argv.slice(2);
const runs = Number(process.env.RUNS || 5);
const waterfall = process.env.WATERFALL === '1';

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium', headless: true, userDataDir: fs.mkdtempSync('/tmp/bench-site-'),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function measure(path) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  const api = [];
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  cdp.on('Network.requestWillBeSent', (e) => { if (e.request.url.includes('/v1/')) api.push(e.request.url.replace(base, '')); });
  await page.evaluateOnNewDocument(() => {
    window.__lcp = { time: 0, element: '' };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const el = e.element;
        window.__lcp = { time: e.startTime, element: el ? `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''} "${(el.textContent || '').slice(0, 40)}"` : '' };
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  await page.goto(`${base}${path}`, { waitUntil: 'networkidle0' });
  const { lcp, fcp, timeline } = await page.evaluate(() => ({
    lcp: window.__lcp,
    fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0,
    timeline: [
      ...performance.getEntriesByType('navigation').map((e) => ({ name: 'document', start: e.startTime, end: e.responseEnd })),
      ...performance.getEntriesByType('resource').map((e) => ({ name: e.name.replace(location.origin, ''), start: e.startTime, end: e.responseEnd })),
    ],
  }));
  await page.close();
  return { bytes, lcp: lcp.time, element: lcp.element, fcp, api, timeline };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function report(path, label) {
  const first = await measure(path);
  const more = [];
  for (let i = 0; i < runs; i++) more.push(await measure(path));
  const lcps = more.map((m) => m.lcp);
  console.log(`${label}: ${(first.bytes / 1024).toFixed(1)} KB over the wire with every asset; `
    + `LCP ${first.lcp.toFixed(0)} ms in a browser just started, median ${median(lcps).toFixed(0)} ms of ${runs} more `
    + `(${lcps.map((x) => x.toFixed(0)).join(' ')}); FCP median ${median(more.map((m) => m.fcp)).toFixed(0)} ms`);
  if (waterfall) {
    for (const m of [first, more[more.length - 1]]) {
      console.log(`  largest paint: ${m.element} at ${m.lcp.toFixed(0)} ms`);
      for (const r of m.timeline) console.log(`  ${r.start.toFixed(0).padStart(5)} → ${r.end.toFixed(0).padStart(5)} ms  ${r.name}`);
    }
  }
  return first;
}

await report('/', '/');
console.log('   (budgets: 60 KB, LCP 500 ms)');
const book = await report(`/book/${service}`, `/book/${service}`);
const months = book.api.filter((u) => u.startsWith('/v1/availability/days')).length;
console.log(`/book/${service}: month view: ${months} availability request(s); API calls: ${book.api.join(' ')}`);
await browser.close();
