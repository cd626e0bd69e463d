import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../../src/core/results/model.js';
import { FILE, render } from '../../src/outputs/report/html.js';
import { runMain } from '../cli/run-cli.js';
import { clientSampleReport, HOSTILE_MESSAGE, sampleReport } from './sample-report.js';

const CHROMIUM = '/usr/bin/chromium';
/** Without these, Chromium on a machine with no network hangs on background connections. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CSP = `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; script-src &#39;unsafe-inline&#39;; img-src data:">`;
const STATUSES = ['PASSED', 'FAILED', 'WARNING', 'SKIPPED', 'NOT_APPLICABLE', 'WAIVED'] as const;

/** Every URL-carrying attribute value in the page. */
function urlAttributes(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href|srcset|action|formaction|poster|xlink:href|data|background)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)].map((m) =>
    (m[1] ?? '').replace(/^["']|["']$/g, ''),
  );
}

describe('HTML report of the issuer-as-client direction', () => {
  it('says it graded calls to the D1 simulator, by which command, and why rules were not tested', () => {
    const html = render(clientSampleReport());
    expect(html).toContain('D1 simulator');
    expect(html).toContain('calls by mvn (+2 arguments)');
    expect(html).toContain('issuer-as-client');
    expect(html).toContain('NOT TESTED: ');
    expect(html).not.toContain('bundled reference issuer');
  });
});

describe('HTML report, as text', () => {
  const report = sampleReport();
  const html = render(report);

  it('is one self-contained file under a strict CSP', () => {
    expect(FILE).toBe('report.html');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(CSP);
    for (const value of urlAttributes(html)) expect(value, `attribute value ${value}`).not.toMatch(/^\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<(link|script|img|iframe|object|embed)\b[^>]*\s(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b[^>]*rel=["']?stylesheet/i);
    expect(html).not.toMatch(/@import|@font-face|url\(/i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script>');
    expect(html).not.toMatch(/\beval\(|new Function|setTimeout\(\s*["']/);
  });

  it('shows the header, the policies, the waivers, the verdict and certifiability', () => {
    for (const text of [
      'https://issuer.example.test:8443',
      'ISSUER0001',
      `d1-conformance ${report.tool.version}`,
      report.rulebook.version,
      report.rulebook.hash.slice(0, 12),
      String(report.seed),
      '3ds',
      '2026-11-23 12:34:25 UTC',
      '3.2 s',
    ]) {
      expect(html).toContain(text);
    }
    for (const [k, v] of Object.entries(report.policies))
      expect(html).toContain(`<tr><td><code>${k}</code></td><td><code>${typeof v === 'string' ? v : JSON.stringify(v)}</code></td></tr>`);
    expect(html).toContain('Gate: FAILED');
    expect(html).toContain('Certifiable: NO');
    expect(html).toMatch(/MUST rules untested.*OUT-AUTHN-021/s);
    expect(html).toContain('waiver for OUT-AUTH-015 (owner iam-team) expired on 2020-01-31');
    expect(html).toContain('OUT-OTP-003 (owner otp-team): the rule no longer fails, remove the waiver');
    expect(html).toMatch(/payments-team<\/td><td class="nowrap">2099-12-31<\/td><td>Fix scheduled in release 4\.2/);
  });

  it('has a row per rule with data-status and data-endpoint, and every status', () => {
    const rows = [...html.matchAll(/<tr class="main[^"]*" id="rule-([^"]+)" data-status="([A-Z_]+)" data-endpoint="([^"]*)"/g)];
    expect(rows).toHaveLength(report.rules.length);
    for (const s of STATUSES) {
      expect(
        rows.some((r) => r[2] === s),
        `a ${s} row`,
      ).toBe(true);
      expect(html).toContain(`value="${s}"`);
    }
    const gen008 = rows.find((r) => r[1] === 'OUT-GEN-008');
    expect(gen008?.[3]?.split(' ')).toEqual(report.rules.find((r) => r.ruleId === 'OUT-GEN-008')?.endpoints);
    // FAILED, WARNING and WAIVED rules are expandable, the others are not.
    for (const r of report.rules)
      expect(html.includes(`<details id="details-${r.ruleId}">`), r.ruleId).toBe(['FAILED', 'WARNING', 'WAIVED'].includes(r.status));
  });

  it('shows the evidence of a property failure: seed, counterexample path, exchange, repro', () => {
    const block = html.slice(
      html.indexOf('<details id="details-OUT-GEN-008">'),
      html.indexOf('</details>', html.indexOf('<details id="details-OUT-GEN-008">')),
    );
    expect(block).toContain('<dt>seed</dt><dd><code>1234567</code></dd>');
    expect(block).toContain('<dt>counterexample path</dt><dd><code>3:1:0</code></dd>');
    expect(block).toContain('POST https://issuer.example.test:8443/banking/d1/v1/issuers/ISSUER0001/consumers/cons-7f3a9c01/otp');
    expect(block).toContain('&lt;html&gt;&lt;body&gt;Bad &amp; &quot;wrong&quot; request&lt;/body&gt;&lt;/html&gt;');
    expect(block).toContain('curl -sS -i -X POST');
  });

  it('escapes a <script> injected through a case message', () => {
    expect(HOSTILE_MESSAGE).toContain('<script>');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('got &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; \u2407bell');
    const evil: Report = {
      ...report,
      target: { ...report.target, issuerId: '"><img src=x onerror=alert(1)>' },
      policies: { '<b>p</b>': '</style><script>x()</script>' },
    };
    const out = render(evil);
    expect(out).not.toContain('<img src=x');
    expect(out).not.toContain('<script>x()');
    expect(out).not.toContain('<b>p</b>');
    expect(out).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('draws the charts server-side: results per endpoint and a response-time histogram per endpoint', () => {
    const svgs = html.match(/<svg class="chart"/g) ?? [];
    expect(svgs).toHaveLength(1 + Object.keys(report.timings).length);
    expect(html).toContain('aria-label="Rule results per endpoint, stacked by status"');
    const otp = report.timings['issuer.deliverOtp'];
    expect(html).toContain(`n=${otp?.count ?? -1} · p50 ${otp?.p50 ?? -1} ms · p90 ${otp?.p90 ?? -1} ms · p99 ${otp?.p99 ?? -1} ms`);
    expect(html).toContain('>&gt;5s</text>'); // leMs -1: above the last bound
    for (const p of ['p50', 'p90', 'p99']) expect(html).toContain(`class="plbl">${p}</text>`);
  });

  it('has a coverage view: tested rules, skipped and not applicable with their reasons', () => {
    const coverage = html.slice(html.indexOf('<section id="coverage"'), html.indexOf('</section>', html.indexOf('<section id="coverage"')));
    expect(coverage).toContain(`Tested: ${report.rules.filter((r) => r.checks > 0).length} of ${report.rules.length} rules`);
    expect(coverage).toContain('no test PAN configured for this consumer (testData.consumers[].pans)');
    expect(coverage).toContain('profile click-to-pay is not declared');
    expect(coverage).toContain('href="#rule-OUT-CI-017"');
  });

  it('is deterministic', () => {
    expect(render(structuredClone(report))).toBe(html);
    expect(render(sampleReport())).toBe(html);
  });
});

describe('HTML report, in a real headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'd1c-html-'));
  let context: BrowserContext | undefined;
  let page: Page;
  let fileUrl: string;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the HTML report is checked in a real headless Chromium; install it with \`apt-get install chromium\``);
    }
    // A real report: the CLI against a broken variant (JSON only; the HTML is rendered here).
    const out = join(dir, 'run');
    const { code } = await runMain(['run', '--variant', 'consumer-info-bad-language', '--runs', '2', '--out', out, '--report', 'json']);
    expect(code).toBe(1);
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    const file = join(dir, 'report.html');
    writeFileSync(file, render(report));
    fileUrl = pathToFileURL(file).href;

    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1360, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(fileUrl, { waitUntil: 'load' });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the page and the verdict, with no error and no request but the file itself', async () => {
    expect(await page.title()).toMatch(/^d1-conformance FAILED: ISSUER0001$/);
    await expect.poll(() => page.locator('#gate .big').textContent()).toBe('Gate: FAILED');
    expect(await page.locator('#certifiable .big').textContent()).toBe('Certifiable: NO');
    expect(await page.locator('#rule-OUT-CI-009').isVisible()).toBe(true);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([fileUrl]);
  });

  it('expands the failing rule OUT-CI-009 to show its evidence', async () => {
    const details = page.locator('#details-OUT-CI-009');
    const response = details.locator('pre.res').first();
    expect(await response.isVisible()).toBe(false);
    await details.locator('summary').click();
    expect(await response.isVisible()).toBe(true);
    expect(await response.textContent()).toContain('"language":"english"');
    expect(await details.locator('pre.req').first().textContent()).toMatch(/^GET https?:\/\/127\.0\.0\.1:\d+\/banking\/d1\/v1\/issuers\/ISSUER0001\/consumers\//);
    expect(await details.locator('pre.req').first().textContent()).toContain('authorization: Bearer <redacted>');
    expect(await details.locator('pre.repro').first().textContent()).toMatch(/^curl .*\$D1_ACCESS_TOKEN/);
    expect(await details.locator('.case').first().textContent()).toContain('[OUT-CI-009] must be a string');
  });

  it('filters rows by status and by endpoint', async () => {
    const passedRows = page.locator('#rules tr.main[data-status="PASSED"]');
    expect(await passedRows.first().isVisible()).toBe(true);
    for (const box of await page.locator('#filters input[name="status"]').all()) await box.setChecked((await box.getAttribute('value')) === 'FAILED');
    expect(await page.locator('#rules tr.main[data-status="PASSED"]:visible').count()).toBe(0);
    expect(await page.locator('#rules tr.main:visible').count()).toBe(await page.locator('#rules tr.main[data-status="FAILED"]').count());
    expect(await page.locator('#rule-OUT-CI-009').isVisible()).toBe(true);
    expect(await page.locator('#shown').textContent()).toBe('1');

    await page.locator('#filters select[name="endpoint"]').selectOption('issuer.token');
    expect(await page.locator('#rule-OUT-CI-009').isVisible()).toBe(false);
    await page.locator('#filters select[name="endpoint"]').selectOption('issuer.getConsumerInfo');
    expect(await page.locator('#rule-OUT-CI-009').isVisible()).toBe(true);

    await page.locator('#filters button[data-action="all"]').click();
    await page.locator('#filters select[name="endpoint"]').selectOption('');
    expect(await passedRows.first().isVisible()).toBe(true);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('opens with the verdict, then the failure and its first case, above every pass; the policies are folded', async () => {
    const top = async (selector: string) => (await page.locator(selector).first().boundingBox())?.y ?? Number.NaN;
    const gate = await top('#gate');
    const finding = await top('#finding-OUT-CI-009');
    const pass = await top('#rules tr.main[data-status="PASSED"]');
    expect(gate).toBeLessThan(finding);
    expect(finding).toBeLessThan(pass);
    expect(await page.locator('#finding-OUT-CI-009 .case').first().isVisible()).toBe(true);
    const policies = page.locator('#policies table.policies');
    expect(await policies.isVisible()).toBe(false);
    await page.locator('#policies > summary').click();
    expect(await policies.isVisible()).toBe(true);
    await page.locator('#policies > summary').click();
    expect(consoleErrors).toEqual([]);
  });

  it('takes a screenshot for a human to look at', async () => {
    const shots = mkdtempSync(join(tmpdir(), 'd1c-html-shot-'));
    const path = join(shots, 'report.jpeg');
    // OUT-CI-009's evidence is open from the test above: the page as a certifier sees it.
    expect(await page.locator('#details-OUT-CI-009 pre.res').first().isVisible()).toBe(true);
    await page.screenshot({ path, fullPage: true, type: 'jpeg', quality: 80 });
    expect(readFileSync(path).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    console.log(`HTML report screenshot: ${path}`);
    expect(requests).toEqual([fileUrl]);
  });
});
