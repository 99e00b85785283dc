// tests/office/browser.mjs — drives Debian's chromium (headless, puppeteer-core from
// assets/office/node_modules) through the office as a coordinator would: sign in with
// password + TOTP, find the crisis record by its receipt reference, assign it, log a failed
// and a successful contact, record the first conversation and see the stats change; ICT and
// team members are refused what their role may not see. axe-core runs on every page (no
// serious or critical violation), planted markup must show as text, and every page is
// screenshotted into $SHOTS. Prints TAP.
//   node browser.mjs URL CA_DIR_UNUSED  (env: PW, REF, SECRET_coord, SECRET_ict, SECRET_team, SHOTS, XSS)
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, '..', '..', 'assets', 'office');
const require = createRequire(join(assets, 'package.json'));
const puppeteer = require('puppeteer-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const [url] = process.argv.slice(2);
const env = process.env;
let n = 0, failed = 0;

function ok(cond, what, detail) {
  n++;
  if (cond) console.log(`ok ${n} - ${what}`);
  else { failed++; console.log(`not ok ${n} - ${what}`); if (detail) console.log('# ' + String(detail).split('\n').join('\n# ')); }
}

function totp(user, offset) {
  const args = ['--totp', '-b'];
  if (offset) args.push('--now', new Date(Date.now() + offset * 1000).toISOString().replace('T', ' ').replace(/\..*/, ' UTC'));
  args.push(env['SECRET_' + user]);
  return execFileSync('oathtool', args, { encoding: 'utf8' }).trim();
}

async function axe(page, name) {
  await page.evaluate(axeSource);
  const v = await page.evaluate(async () => (await window.axe.run(document, { runOnly: { type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }))
    .violations.map(x => [x.impact, x.id, x.nodes.length]));
  const bad = v.filter(([impact]) => impact === 'serious' || impact === 'critical');
  ok(bad.length === 0, `axe: no serious or critical violation on ${name}`, JSON.stringify(v));
}

// office-NAME.png at 1280x800 (the laptop of `make run`) and office-NAME-1920x1080.png
async function shot(page, name) {
  mkdirSync(env.SHOTS, { recursive: true });
  for (const [width, height, tail] of [[1920, 1080, '-1920x1080'], [1280, 800, '']]) {
    await page.setViewport({ width, height });
    await page.screenshot({ path: join(env.SHOTS, `office-${name}${tail}.png`), fullPage: true });
  }
}

// At 1280x800, before any scrolling: the first rows lie on the screen (bottoms, px) and
// each name of the rows after the crisis is one line of text (its line boxes).
async function firstScreen(page) {
  await page.setViewport({ width: 1280, height: 800 });
  return page.$$eval('#wl tbody tr', rows => rows.slice(0, 5).map(r => {
    const range = document.createRange();
    range.selectNodeContents(r.querySelector('.office-name'));
    const lines = new Set([...range.getClientRects()].map(x => Math.round(x.top))).size;
    return [Math.round(r.getBoundingClientRect().bottom), r.dataset.acuut === '1' ? 1 : lines];
  }));
}

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function signIn(page, user, code) {
  await page.goto(url + '/login', { waitUntil: 'load' });
  await page.type('#user', user);
  await page.type('#password', env.PW);
  await page.type('#code', code);
  await submit(page, '#signin');
}

async function signOut(page) { await submit(page, '#logout'); }

const attr = (page, sel, a) => page.$eval(sel, (e, a) => e.getAttribute(a), a).catch(() => null);

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'inloop-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium', headless: true, acceptInsecureCerts: true, userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });

    await page.goto(url + '/login', { waitUntil: 'load' });
    const fonts = await page.evaluate(async () => { await document.fonts.ready;
      return [document.fonts.check('16px "Noto Sans"'), document.fonts.check('bold 24px "Noto Serif"'),
              [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)]; });
    ok(fonts[2].some(f => f.includes('Noto Sans')) && fonts[2].some(f => f.includes('Noto Serif')),
       'the Noto webfonts are served and loaded', JSON.stringify(fonts));
    ok(await page.$eval('html', e => e.lang === 'nl' && e.classList.contains('voorbeeld-theme')), 'Dutch page with the NLDS theme');
    await axe(page, 'sign-in');
    await shot(page, 'login');

    await signIn(page, 'coord', '000000');
    ok(await attr(page, '#login-error', 'data-problem') === 'bad', 'a wrong TOTP code is refused');
    await axe(page, 'sign-in with an error');
    await shot(page, 'login-error');

    await signIn(page, 'coord', totp('coord'));
    ok(page.url().endsWith('/worklist'), 'the coordinator signs in with password + TOTP', page.url());
    ok(await attr(page, '#today', 'data-acuut') === '1' && await attr(page, '#wl tbody tr', 'data-acuut') === '1',
       "today's crisis is counted on top and is the first row");
    const screen = await firstScreen(page);
    ok(screen.length === 5 && screen.every(([bottom]) => bottom <= 800),
       'at 1280x800 the crisis row and the four after it are on the first screen, unscrolled', JSON.stringify(screen));
    ok(screen.slice(1).every(([, lines]) => lines === 1), '... each name on one line, not broken inside a word',
       JSON.stringify(screen));
    await axe(page, 'worklist');
    await shot(page, 'worklist');

    await submit(page, '#lang-switch');
    ok(await page.$eval('html', e => e.lang) === 'en' && await attr(page, '#lang-switch', 'hreflang') === 'nl',
       'the language switch gives the English worklist, with a way back');
    await axe(page, 'worklist in English');
    await shot(page, 'worklist-en');
    await submit(page, '#lang-switch');
    ok(await page.$eval('html', e => e.lang) === 'nl', '... and back to Dutch');

    const typed = env.REF.toLowerCase();
    await page.type('#q', typed);
    await submit(page, '#apply');
    const refs = await page.$$eval('#wl tbody tr', rows => rows.map(r => r.dataset.ref));
    ok(refs.length === 1 && refs[0] === env.REF.replace('-', ''), `the reference as typed (${typed}) finds the crisis record`, refs);
    ok(await attr(page, '#wl tbody tr', 'data-acuut') === '1', '... marked acuut');
    const cell = await page.$eval('#wl .office-name', e => e.textContent);
    ok(cell === env.XSS, 'planted markup shows as the exact text', cell);
    ok(await page.$$eval('#wl script, #wl img', e => e.length) === 0, '... and made no elements');
    ok(await page.evaluate(() => window.xss) === undefined, '... and ran nothing');

    await submit(page, '#wl tbody tr a');
    ok(await page.$eval('tr[data-answer="name"] td', e => e.textContent) === env.XSS, 'the record page shows the name as text');
    ok(await page.$$eval('#answers tbody tr', r => r.length) >= 6, 'the record page shows every answer with its question');
    await axe(page, 'record');
    await shot(page, 'record');

    ok(await attr(page, '#due', 'data-due') === 'acuut', 'the record page says: acuut, call today');
    await page.select('#to', 'team');
    await submit(page, '#do-assign');
    ok(await attr(page, '#status', 'data-status') === 'assigned', 'assigned to a consultant');
    await page.select('#outcome', 'not_reached');
    await submit(page, '#do-contact');
    await page.select('#outcome', 'reached');
    await submit(page, '#do-contact');
    const contacts = await page.$$eval('#events li[data-kind="contact"]', l => l.map(e => e.dataset.value));
    ok(contacts.join(',') === 'not_reached,reached', 'a failed and a successful contact are kept in the history', contacts);

    await page.goto(url + '/stats', { waitUntil: 'load' });
    const before = await attr(page, '#median', 'data-contacted');
    await page.goBack({ waitUntil: 'load' });
    await submit(page, '#do-first_conversation');
    ok(await attr(page, '#status', 'data-status') === 'contacted', 'the first conversation is recorded');
    ok(await attr(page, '#due', 'data-due') === 'done', '... and the page no longer says to call today: the clock stopped');
    await shot(page, 'record-acted');
    await page.goto(url + '/stats', { waitUntil: 'load' });
    const after = await attr(page, '#median', 'data-contacted');
    ok(before === '0' && after === '1', 'the stats change: one first conversation counted', `${before} -> ${after}`);
    ok(await page.$$eval('svg[role="img"] rect.office-bar', r => r.length) > 0, 'the stats have server-drawn SVG charts');
    const outside = await page.$$eval('svg[role="img"] text', ts => ts.map(t => {
      const b = t.getBBox(), w = t.ownerSVGElement.viewBox.baseVal.width;
      return [t.textContent, Math.round(b.x), Math.round(b.x + b.width), w];
    }).filter(([, left, right, w]) => left < 0 || right > w));
    ok(outside.length === 0, "... every label inside its chart, none cut off at the chart's edge", JSON.stringify(outside));
    await axe(page, 'stats');
    await shot(page, 'stats');

    await page.goto(url + '/audit', { waitUntil: 'load' });
    ok(await attr(page, '#chain', 'data-intact') === '1', 'the audit chain is intact');
    const actions = await page.$$eval('#audit tbody tr', r => r.map(e => e.dataset.action));
    ok(['view', 'record-assign', 'record-contact', 'record-first_conversation'].every(a => actions.includes(a)),
       'the audit log holds the view and every change', actions);
    await axe(page, 'audit');
    await shot(page, 'audit');
    await signOut(page);

    await signIn(page, 'ict', totp('ict'));
    ok(page.url().endsWith('/devices'), 'ICT signs in to the devices page', page.url());
    await axe(page, 'devices');
    await shot(page, 'devices');
    await page.goto(url + '/consultants', { waitUntil: 'load' });
    ok(await page.$('tr[data-consultant="anna"]') !== null, 'ICT sees the consultants page with anna');
    await axe(page, 'consultants');
    await shot(page, 'consultants');
    const res = await page.goto(url + '/worklist', { waitUntil: 'load' });
    ok(res.status() === 403 && !(await page.content()).includes('xss'), 'ICT is refused the worklist, with no record data');
    await axe(page, 'refusal');
    await shot(page, 'refused');
    await signOut(page);

    await signIn(page, 'team', totp('team'));
    const audit = await page.goto(url + '/audit', { waitUntil: 'load' });
    ok(audit.status() === 403, 'a team member is refused the audit log');
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch(e => { ok(false, 'the browser run finished', e.stack); })
  .finally(() => { console.log(`1..${n}`); process.exit(failed ? 1 : 0); });
