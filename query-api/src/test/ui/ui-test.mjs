// The analyst UI in a real browser: Debian's headless Chromium (/usr/bin/chromium) driven by playwright-core.
//
//   node ui-test.mjs <baseUrl> <analystToken> <screenshotsDir>
//
// Expects the data of query-api/src/test/java/dev/vigil/query/UiSeedData.java (run by UiBrowserIT). Exit code 0 = every
// check passed; otherwise the failing check is printed and a screenshot 99-failure.png is saved.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [baseUrl, token, shotsDir] = process.argv.slice(2);
if (!baseUrl || !token || !shotsDir) {
  console.error('usage: node ui-test.mjs <baseUrl> <analystToken> <screenshotsDir>');
  process.exit(2);
}

// --- what UiSeedData wrote -------------------------------------------------------------------------------------------
const AGENT = 'ui-agent-7';
const SESSION_A = 'ui-agent-7/incident-4711';
const SESSION_B = 'ui-agent-7';
const SESSION_C = 'ui-dev-bob/cleanup';
const TERMINAL_TEXT = 'app.jar  config  logs';
const TERMINAL_SECRET_LINE = 'password: masked:k8s-secret:9f2c41';
const XSS_EVENT = "<script>window.__vigilXss='event'</script>";
const XSS_ALERT = "<script>window.__vigilXss='alert'</script>";
const XSS_CAST = "<script>window.__vigilXss='cast'</script>";
const TAMPERED_INDEX = 2;
// UiSeedData.XSS_BODY: more stored payloads, one configmap body (each must be shown as text, none may run)
const XSS_BODY = [
  "<svg onload=window.__vigilXss='svg'><script>window.__vigilXss='svg2'</script></svg>",
  "</script><script>window.__vigilXss='close'</script>",
  "<a href=javascript:window.__vigilXss='jsurl'>click</a>",
  "javascript:window.__vigilXss='bare'",
  "<iframe srcdoc=<script>window.__vigilXss='iframe'</script>></iframe>",
  "<math><mi xlink:href=javascript:window.__vigilXss='math'>m</mi></math>",
  "<object data=javascript:window.__vigilXss='object'></object>",
  "\uff1cscript\uff1ewindow.__vigilXss='fullwidth'\uff1c/script\uff1e",
  "{{constructor.constructor('window.__vigilXss=1')()}}",
  "=cmd|' /C calc'!A0",
];
// UiSeedData.OSC_CAST: an OSC 8 hyperlink (to a script URL) and an OSC 0 title in the exec output
const OSC_LINK_TEXT = 'osc8-link-text';

const EXPECTED_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
  + "frame-ancestors 'none'; object-src 'none'; base-uri 'none'";
// Flags from the machine notes: as root no sandbox; no background networking (the network is closed).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

mkdirSync(shotsDir, { recursive: true });
const problems = { dialogs: [], pageErrors: [], cspViolations: [], consoleErrors: [] };
let step = 'start';
let shotNo = 0;

function log(message) {
  console.log(`[ui-test] ${message}`);
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  log(`ok  ${message}`);
}

async function shot(page, name, options = {}) {
  shotNo += 1;
  const file = join(shotsDir, name);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  log(`screenshot ${file}`);
}

async function noScriptRan(page, where) {
  const flag = await page.evaluate(() => window.__vigilXss);
  check(flag === undefined, `${where}: no recorded script ran (window.__vigilXss is ${String(flag)})`);
  const injected = await page.evaluate(() => document.querySelectorAll(
    '#main script, #main img, #main iframe, #main object, #main embed, #main svg, #main math, #main form, #main base').length);
  check(injected === 0, `${where}: no script/img/iframe/object/svg/math element came from recorded data`);
  const handlers = await page.evaluate(() => [...document.querySelectorAll('#main *')]
    .filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name) || a.name === 'srcdoc')).length);
  check(handlers === 0, `${where}: no element carries an event-handler or srcdoc attribute`);
  const links = await page.evaluate(() => [...document.querySelectorAll('a[href]')]
    .map((a) => a.getAttribute('href')).filter((h) => !/^(#|\/|blob:)/.test(h)));
  check(links.length === 0, `${where}: every link is an in-app route, a same-origin path or a blob: download (${links.join(' ')})`);
  check(problems.dialogs.length === 0, `${where}: no dialog opened`);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
let page;
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true, locale: 'en-US', timezoneId: 'UTC' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('dialog', async (d) => {
    problems.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/Content Security Policy/i.test(text)) problems.cspViolations.push(text);
    else problems.consoleErrors.push(text);
  });

  // --- headers and login ---------------------------------------------------------------------------------------------
  step = 'open the console';
  const response = await page.goto(baseUrl + '/', { waitUntil: 'load' });
  const headers = response.headers();
  check(response.status() === 200, `GET / answers 200 (${response.status()})`);
  check(headers['content-security-policy'] === EXPECTED_CSP, 'GET / carries the contract CSP');
  check(headers['x-content-type-options'] === 'nosniff', 'GET / carries X-Content-Type-Options: nosniff');
  check(headers['referrer-policy'] === 'no-referrer', 'GET / carries Referrer-Policy: no-referrer');
  const js = await page.request.get(baseUrl + '/ui/app.js');
  check(/javascript/.test(js.headers()['content-type'] ?? ''), `app.js is served as JavaScript (${js.headers()['content-type']})`);
  check(js.headers()['content-security-policy'] === EXPECTED_CSP, '/ui/app.js carries the CSP too');
  const listing = await page.request.get(baseUrl + '/ui/views/');
  check(listing.status() === 404, `no directory listing (/ui/views/ → ${listing.status()})`);

  await page.waitForSelector('form.login textarea#token');
  await shot(page, '01-login.png');

  step = 'log in with a bad token';
  await page.fill('#token', 'not-a-token');
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('.login-status .notice-error');
  check((await page.textContent('.login-status')).includes('not a JWT'), 'a malformed token is refused before any request');

  step = 'log in';
  await page.fill('#token', token);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('#sessions-table');
  check(await page.evaluate(() => Boolean(sessionStorage.getItem('vigil.token'))), 'the token is kept in sessionStorage');
  check(!page.url().includes(token), 'the token is not in the URL');

  // --- search and paging ---------------------------------------------------------------------------------------------
  step = 'search by identity, one session per page';
  await page.fill('#f-identity', AGENT);
  await page.fill('#f-size', '1');
  await page.click('#search-submit');
  await page.waitForFunction(() => location.hash.includes('identity='));
  await page.waitForSelector('#sessions-table tbody tr');
  let rows = await page.$$eval('#sessions-table tbody tr .session-link', (as) => as.map((a) => a.textContent));
  check(rows.length === 1, `page 1 shows one session (${rows.join(', ')})`);
  check((await page.textContent('.pager-status')).includes('of 2 sessions'), 'the pager says 2 sessions in all');
  const firstPage = rows[0];
  await shot(page, '02-search-page1.png');
  await page.click('#page-next');
  await page.waitForFunction((prev) => {
    const a = document.querySelector('#sessions-table tbody tr .session-link');
    return a && a.textContent !== prev;
  }, firstPage);
  rows = await page.$$eval('#sessions-table tbody tr .session-link', (as) => as.map((a) => a.textContent));
  check(rows.length === 1 && [SESSION_A, SESSION_B].includes(rows[0]) && rows[0] !== firstPage, `Next shows the other session (${rows[0]})`);
  check(await page.isDisabled('#page-next'), 'Next is disabled on the last page');
  await page.click('#page-prev');
  await page.waitForFunction((prev) => document.querySelector('#sessions-table tbody tr .session-link')?.textContent === prev, firstPage);
  log('ok  Previous goes back to page 1');

  step = 'full-text search with alert filter';
  await page.fill('#f-identity', '');
  await page.fill('#f-size', '25');
  await page.fill('#f-q', 'AKIAZ7XQ3VJ4MN2P8RTW');
  await page.selectOption('#f-hasAlerts', 'true');
  await page.click('#search-submit');
  await page.waitForFunction(() => location.hash.includes('q=AKIA'));
  await page.waitForFunction(() => document.querySelectorAll('#sessions-table tbody tr').length === 1);
  rows = await page.$$eval('#sessions-table tbody tr .session-link', (as) => as.map((a) => a.textContent));
  check(rows[0] === SESSION_A, 'full text finds the session that wrote the AWS key');
  await shot(page, '03-search-fulltext.png');

  // --- the session page ----------------------------------------------------------------------------------------------
  step = 'open session A';
  await page.click(`#sessions-table .session-link:text-is("${SESSION_A}")`);
  await page.waitForSelector('#timeline .step');
  check((await page.textContent('#session-title')) === SESSION_A, 'the session page shows the session key');
  const kinds = await page.$$eval('#timeline li.step', (lis) => lis.map((li) => li.dataset.kind));
  check(kinds.includes('denied'), `the timeline has the denied call in place (${kinds.join(' ')})`);
  check(kinds.includes('alert') && kinds.includes('stream') && kinds.includes('llm-prompt'), 'the timeline has alerts, the exec stream and the LLM prompt');
  check(kinds.indexOf('denied') < kinds.indexOf('stream'), 'steps are in time order (the deny before the exec)');
  const deniedText = await page.textContent('#timeline li.step-denied');
  check(deniedText.includes('guardrail:secrets-only-in-allowed-namespaces'), 'the denied step names its rule');
  const badges = await page.$$eval('#session-alerts .alert-badges .badge', (bs) => bs.map((b) => b.textContent));
  check(badges.some((b) => b.includes('exec-into-pod')) && badges.some((b) => b.includes('secret-leakage')), `alert badges: ${badges.join(', ')}`);

  step = 'recorded <script> payloads are text';
  const timelineText = await page.$eval('#timeline', (t) => t.textContent);
  check(timelineText.includes(XSS_EVENT), 'the <script> in an event body is shown as text in the timeline');
  for (const payload of XSS_BODY) {
    check(timelineText.includes(payload), `stored payload shown as text in the timeline: ${payload}`);
  }
  const alertsText = await page.$eval('#session-alerts', (t) => t.textContent);
  check(alertsText.includes(XSS_ALERT), 'the <script> in an alert description is shown as text');
  await noScriptRan(page, 'session page');
  await shot(page, '04-session.png', { fullPage: true });

  // --- exec replay -----------------------------------------------------------------------------------------------------
  step = 'replay the exec';
  await page.click('#timeline li.step-stream .replay-button');
  const player = page.locator('#timeline .player');
  await page.waitForFunction(() => document.querySelector('#timeline .player')?.dataset.state === 'ready');
  await player.locator('.player-speed').selectOption('2');
  await player.locator('.player-play').click();
  await page.waitForFunction(() => Number(document.querySelector('#timeline .player')?.dataset.framesPlayed) > 0);
  log('ok  frames appear in the player while it plays');
  await page.waitForFunction((t) => document.querySelector('#timeline .term-screen')?.textContent.includes(t), TERMINAL_TEXT);
  check(true, `the terminal shows the recorded output (${TERMINAL_TEXT})`);
  await player.locator('.player-play').click(); // pause
  check(await page.evaluate(() => document.querySelector('#timeline .player').dataset.state) === 'paused', 'Pause pauses');
  await player.screenshot({ path: join(shotsDir, '05a-exec-paused.png') });
  shotNo += 1;
  log(`screenshot ${join(shotsDir, '05a-exec-paused.png')} (paused mid-replay)`);
  await player.locator('.player-speed').selectOption('8');
  await player.locator('.player-play').click(); // resume
  await page.waitForFunction(() => document.querySelector('#timeline .player')?.dataset.state === 'ended', null, { timeout: 30_000 });
  const screenText = await player.locator('.term-screen').textContent();
  check(screenText.includes(TERMINAL_SECRET_LINE), 'the replay reaches the end of the recording');
  check(screenText.includes(XSS_CAST), 'the <script> echoed in the terminal is shown as text');
  check(!screenText.includes('\u001b[') && !screenText.includes('[1;32m'), 'escape sequences are interpreted, not printed');
  check(screenText.includes(OSC_LINK_TEXT) && screenText.includes('after-title'), 'OSC 8 hyperlink text and the text after an OSC title are shown');
  check(!screenText.includes(']8;;') && !screenText.includes('javascript:') && !screenText.includes("__vigilXss='title'"),
    'OSC sequences (hyperlink target, window title) are consumed, never printed');
  check(await player.locator('a, .term-screen [href]').count() === 0, 'the terminal makes no link of an OSC 8 hyperlink');
  const inputs = await player.locator('.term-input li').allTextContents();
  check(inputs.some((i) => i.includes('cat config/db.yaml')), `the keyboard input is listed (${inputs.length} lines)`);
  await noScriptRan(page, 'exec replay');
  await player.scrollIntoViewIfNeeded();
  await shot(page, '05-exec-replay.png');
  await player.screenshot({ path: join(shotsDir, '05b-exec-player.png') });
  shotNo += 1;
  log(`screenshot ${join(shotsDir, '05b-exec-player.png')} (the player alone)`);

  // --- verify and export -----------------------------------------------------------------------------------------------
  step = 'verify session A';
  await page.click('#verify');
  await page.waitForSelector('#verify-result[data-verified]');
  check(await page.getAttribute('#verify-result', 'data-verified') === 'true', 'Verify says verified');
  check((await page.textContent('#verify-result')).includes('Verified'), 'the page shows "Verified"');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, '06-verified.png');

  step = 'export session A';
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const file = await download.path();
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const head = JSON.parse(lines[0]);
  check(head.session && head.session.sessionKey === SESSION_A, 'the export starts with the session');
  check(lines.length - 1 === head.session.eventCount, `the export holds every event (${lines.length - 1})`);
  check(lines.slice(1).every((l) => typeof JSON.parse(l).raw === 'string'), 'exported events carry raw');
  check(download.suggestedFilename().endsWith('.ndjson'), `download name ${download.suggestedFilename()}`);

  // --- a tampered session ------------------------------------------------------------------------------------------------
  step = 'verify the tampered session C';
  await page.goto(baseUrl + '/#/?identity=ui-dev-bob');
  await page.waitForSelector('#sessions-table tbody tr');
  await page.click(`#sessions-table .session-link:text-is("${SESSION_C}")`);
  await page.waitForSelector('#timeline .step');
  await page.click('#verify');
  await page.waitForSelector('#verify-result[data-verified]');
  check(await page.getAttribute('#verify-result', 'data-verified') === 'false', 'Verify says NOT verified for the tampered session');
  const verdict = await page.textContent('#verify-result');
  check(verdict.includes(`first divergent event: #${TAMPERED_INDEX}`), `it names the first divergent event (#${TAMPERED_INDEX})`);
  await page.click('#events summary');
  check(await page.locator('#events tr.divergent').count() === 1, 'the divergent stored event is highlighted');
  await shot(page, '07-tampered.png', { fullPage: true });

  // --- alerts page ---------------------------------------------------------------------------------------------------
  step = 'alerts page';
  await page.click('nav a[data-nav=alerts]');
  await page.waitForSelector('#alerts-table tbody tr');
  const alertRows = await page.locator('#alerts-table tbody tr').count();
  check(alertRows >= 3, `the alerts page lists the alerts (${alertRows})`);
  check((await page.textContent('#alerts-table')).includes(XSS_ALERT), 'the <script> alert description is text on the alerts page');
  await page.selectOption('#f-severity', 'HIGH');
  await page.click('#search-submit');
  await page.waitForFunction(() => location.hash.includes('severity=HIGH'));
  await page.waitForFunction(() => [...document.querySelectorAll('#alerts-table tbody tr')].every((r) => r.textContent.includes('HIGH')));
  await shot(page, '08-alerts.png');
  await page.click(`#alerts-table .session-link:text-is("${SESSION_A}")`);
  await page.waitForSelector('#timeline .step');
  check((await page.textContent('#session-title')) === SESSION_A, 'an alert links to its session');
  await noScriptRan(page, 'alerts page');

  // --- log out ---------------------------------------------------------------------------------------------------------
  step = 'log out';
  await page.click('#logout');
  await page.waitForSelector('form.login');
  check(await page.evaluate(() => sessionStorage.getItem('vigil.token')) === null, 'Log out forgets the token');

  step = 'final checks';
  check(problems.cspViolations.length === 0, `no CSP violation (${problems.cspViolations.join(' | ')})`);
  check(problems.pageErrors.length === 0, `no uncaught page error (${problems.pageErrors.join(' | ')})`);
  check(problems.dialogs.length === 0, `no dialog (${problems.dialogs.join(' | ')})`);
  if (problems.consoleErrors.length) log(`console errors (not failing): ${problems.consoleErrors.join(' | ')}`);
  log(`UI test passed (${shotNo} screenshots in ${shotsDir})`);
} catch (e) {
  console.error(`[ui-test] FAILED at "${step}": ${e.stack ?? e}`);
  if (problems.cspViolations.length) console.error(`[ui-test] CSP violations: ${problems.cspViolations.join(' | ')}`);
  if (problems.pageErrors.length) console.error(`[ui-test] page errors: ${problems.pageErrors.join(' | ')}`);
  if (problems.consoleErrors.length) console.error(`[ui-test] console errors: ${problems.consoleErrors.join(' | ')}`);
  if (page) {
    try {
      await page.screenshot({ path: join(shotsDir, '99-failure.png'), fullPage: true });
      console.error(`[ui-test] screenshot ${join(shotsDir, '99-failure.png')}`);
    } catch {
      // the page is gone
    }
  }
  process.exitCode = 1;
} finally {
  await browser.close(); // also removes the fresh profile Playwright made for this run
}
