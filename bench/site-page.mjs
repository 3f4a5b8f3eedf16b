// bench/site's browser half: bytes over the wire for the first page, the API
// requests of one month view, and LCP, in headless chromium.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(`${process.env.NODE_PATH}/`);
const puppeteer = require('puppeteer-core');
const [base, service] = process.argv.slice(2);

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
    window.__lcp = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  await page.goto(`${base}${path}`, { waitUntil: 'networkidle0' });
  const lcp = await page.evaluate(() => window.__lcp);
  await page.close();
  return { bytes, lcp, api };
}

const home = await measure('/');
console.log(`/: ${(home.bytes / 1024).toFixed(1)} KB over the wire with every asset (budget 60 KB); LCP ${home.lcp.toFixed(0)} ms (budget 500 ms)`);
const book = await measure(`/book/${service}`);
const months = book.api.filter((u) => u.startsWith('/v1/availability/days')).length;
console.log(`/book/${service}: ${(book.bytes / 1024).toFixed(1)} KB; LCP ${book.lcp.toFixed(0)} ms; month view: ${months} availability request(s); API calls: ${book.api.join(' ')}`);
await browser.close();
