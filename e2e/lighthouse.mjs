#!/usr/bin/env node
// Lighthouse, run by `cargo xtask bench` after e2e/bench.mjs (which adds its output to
// bench-output/bench.json under "lighthouse").
//
//   BASE_URL=http://127.0.0.1:PORT/ LH_OUT=bench-output/lighthouse.json node e2e/lighthouse.mjs
//
// LH_RUNS (default 5) runs of Lighthouse's performance category with its default mobile
// profile: a phone's screen and user agent, simulated throttling (150 ms RTT, 1.6 Mbit/s,
// 4× CPU slowdown). Each run gets a fresh Chromium (CHROME or /usr/bin/chromium, the flags of
// e2e/lib.mjs plus --remote-debugging-port) with a fresh profile. Prints and writes the median,
// min and max of the performance score, FCP, LCP, TBT, CLS, Speed Index and TTI.
//
// The pages come from the bench server as they are: `cargo xtask bench` serves dist/ with
// xtask's server, which sends the `.br` (or `.gz`) copy of a text or wasm file when the browser
// accepts it, as a web host does; the simulation charges the bytes on the wire. The output
// lists, for the first run, each request's bytes on the wire and its size unpacked.
//
// Nothing leaves this machine: Chromium resolves no host name (--host-resolver-rules; the page
// is on 127.0.0.1) and runs with its optional background services off. Some services request
// Google hosts whatever the flags (the account list, component updates); the host-resolver rule
// stops them before any lookup. Every Chromium writes a NetLog, and the script fails if one
// shows a connection attempt, bytes sent or a host name lookup beyond 127.0.0.1, or if
// Lighthouse saw the page request another host. The stopped background requests are listed in
// the output.

import lighthouse from 'lighthouse';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CHROME_ARGS } from './lib.mjs';

const BASE_URL = process.env.BASE_URL;
const RUNS = Number(process.env.LH_RUNS || 5);
const OUT = resolve(process.env.LH_OUT || 'bench-output/lighthouse.json');
const CHROME = process.env.CHROME || '/usr/bin/chromium';

if (!BASE_URL) {
  console.error('BASE_URL is not set; `cargo xtask bench` sets it');
  process.exit(2);
}
if (!(RUNS >= 1)) {
  console.error(`LH_RUNS=${process.env.LH_RUNS}: expected a number >= 1`);
  process.exit(2);
}

// What Chromium gets besides e2e/lib.mjs's flags (among them: no host name resolution, which
// 127.0.0.1 needs none of): the debugging port Lighthouse connects to, and off the background
// services that flags can switch off (most of them as in chrome-launcher's default flags).
const LIGHTHOUSE_ARGS = [
  '--remote-debugging-port=0',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-component-extensions-with-background-pages',
  '--metrics-recording-only',
  '--no-pings',
  '--no-default-browser-check',
  '--disable-features=Translate,OptimizationHints,OptimizationGuideModelDownloading,NetworkTimeServiceQuerying,MediaRouter,DialMediaRouteProvider,CertificateTransparencyComponentUpdater,AutofillServerCommunication,InterestFeedContentSuggestions,PrivacySandboxSettings4',
  '--mute-audio',
  '--password-store=basic',
  '--use-mock-keychain',
];

// The metrics: lhr audit id, key in the output, unit.
const METRICS = [
  ['first-contentful-paint', 'fcp_ms', 'FCP', 'ms'],
  ['largest-contentful-paint', 'lcp_ms', 'LCP', 'ms'],
  ['total-blocking-time', 'tbt_ms', 'TBT', 'ms'],
  ['cumulative-layout-shift', 'cls', 'CLS', ''],
  ['speed-index', 'speed_index_ms', 'Speed Index', 'ms'],
  ['interactive', 'tti_ms', 'TTI', 'ms'],
];

const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const summary = (xs) => ({
  samples: xs,
  median: median(xs),
  min: xs.length ? Math.min(...xs) : null,
  max: xs.length ? Math.max(...xs) : null,
});
const show = (x, unit) => (x == null ? 'n/a' : unit === 'ms' ? `${Math.round(x)} ms` : unit === 'KiB' ? `${(x / 1024).toFixed(1)} KiB` : x.toFixed(3));

/** True for a URL that would go over the network to a host other than 127.0.0.1. */
function isExternal(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return ['http:', 'https:', 'ws:', 'wss:', 'ftp:'].includes(u.protocol) && u.hostname !== '127.0.0.1';
}

// ---------------------------------------------------------------- Chromium

/**
 * Starts Chromium with a fresh profile and a NetLog in `dir`; resolves to { port, stop }.
 * `stop()` ends it and resolves to the NetLog's text ('' if there is none).
 */
function startChromium(dir) {
  const netlog = join(dir, 'netlog.json');
  const args = [
    ...CHROME_ARGS,
    ...LIGHTHOUSE_ARGS,
    `--user-data-dir=${join(dir, 'profile')}`,
    `--log-net-log=${netlog}`,
    'about:blank',
  ];
  const child = spawn(CHROME, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((ok) => child.once('exit', ok));
  const stop = async () => {
    if (child.exitCode == null && child.signalCode == null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    try {
      return readFileSync(netlog, 'utf8');
    } catch {
      return '';
    }
  };
  return new Promise((ok, fail) => {
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => {
      stop();
      fail(new Error(`${CHROME} gave no DevTools port within 30 s:\n${stderr}`));
    }, 30_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      fail(new Error(`${CHROME}: ${e.message}`));
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
      if (m && !started) {
        started = true;
        clearTimeout(timer);
        ok({ port: Number(m[1]), stop });
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`${CHROME} exited (${code}) before giving a DevTools port:\n${stderr}`));
    });
  });
}

const isLoopback = (address) => /^(127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(String(address));

/**
 * Reads a NetLog (JSON; the end may be missing if Chromium was stopped while writing it).
 * Returns
 * - `attempted`: the URLs (without their query) of other hosts that Chromium requested; some
 *   background services (the account list, component updates) do so whatever the flags;
 *   --host-resolver-rules stops them before any lookup;
 * - `reached`: what did go beyond 127.0.0.1: a TCP connection attempt to another address, bytes
 *   sent on a socket connected to another address, or a host name looked up (a DNS task). A UDP
 *   socket that Chromium only connects (its IPv6 reachability check, which sends nothing) is not
 *   counted.
 * Null if the text is not a NetLog.
 */
function readNetLog(text) {
  let log;
  try {
    log = JSON.parse(text);
  } catch {
    try {
      log = JSON.parse(text.trimEnd().replace(/,$/, '') + ']}');
    } catch {
      return null;
    }
  }
  const types = log?.constants?.logEventTypes;
  if (!types || !Array.isArray(log.events)) return null;
  const name = Object.fromEntries(Object.entries(types).map(([k, v]) => [v, k]));
  const attempted = new Set();
  const reached = new Set();
  const remote = new Map(); // socket source id -> address it connected to
  for (const e of log.events) {
    const type = name[e.type] || '';
    const p = e.params || {};
    const id = e.source?.id;
    if (type === 'URL_REQUEST_START_JOB' && p.url && isExternal(p.url)) {
      attempted.add(p.url.split('?')[0]);
    } else if ((type === 'TCP_CONNECT_ATTEMPT' || type === 'TCP_CONNECT_JOB_CONNECTOR_CONNECT_START') && p.address && !isLoopback(p.address)) {
      reached.add(`TCP connection attempt to ${p.address}`);
    } else if ((type === 'UDP_CONNECT' || type === 'SOCKET_CONNECT') && p.address) {
      remote.set(id, p.address);
    } else if ((type === 'UDP_BYTES_SENT' || type === 'SOCKET_BYTES_SENT') && remote.has(id) && !isLoopback(remote.get(id))) {
      reached.add(`bytes sent to ${remote.get(id)}`);
    } else if (/^(HOST_RESOLVER_SYSTEM_TASK|HOST_RESOLVER_DNS_TASK|HOST_RESOLVER_MANAGER_JOB_STARTED|DNS_TRANSACTION)/.test(type)) {
      reached.add(`host name lookup (${type}${p.hostname || p.host ? ` ${p.hostname || p.host}` : ''})`);
    }
  }
  return { attempted: [...attempted].sort(), reached: [...reached].sort() };
}

// ---------------------------------------------------------------- runs

async function run(url, i) {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-lighthouse-'));
  try {
    const chrome = await startChromium(dir);
    let result;
    let netlog = '';
    try {
      result = await lighthouse(url, {
        port: chrome.port,
        hostname: '127.0.0.1',
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance'],
      });
    } finally {
      netlog = await chrome.stop();
    }
    if (!result || !result.lhr) throw new Error(`run ${i}: Lighthouse returned no result`);
    const lhr = result.lhr;
    if (lhr.runtimeError) throw new Error(`run ${i}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    const requests = lhr.audits['network-requests']?.details?.items ?? [];
    // Lighthouse 12: a table with the LCP element's node, then one with the LCP's phases.
    const lcp = lhr.audits['largest-contentful-paint-element']?.details?.items ?? [];
    const node = lcp[0]?.items?.[0]?.node;
    return {
      lhr,
      score: lhr.categories.performance.score,
      metrics: Object.fromEntries(METRICS.map(([id, key]) => [key, lhr.audits[id]?.numericValue ?? null])),
      transfer: lhr.audits['total-byte-weight']?.numericValue ?? null,
      requests: requests.map((r) => ({
        url: r.url,
        mime_type: r.mimeType,
        transfer_bytes: r.transferSize,
        resource_bytes: r.resourceSize,
      })),
      lcpElement: node ? `${node.selector} ("${node.nodeLabel}")` : null,
      lcpPhases: Object.fromEntries((lcp[1]?.items ?? []).map((p) => [p.phase, p.timing])),
      pageExternal: requests.map((r) => r.url).filter(isExternal),
      net: readNetLog(netlog),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const runs = [];
  for (let i = 1; i <= RUNS; i++) {
    const r = await run(BASE_URL, i);
    runs.push(r);
    console.log(
      `lighthouse ${i}/${RUNS}: score ${show(r.score)}, ` +
        METRICS.map(([, key, label, unit]) => `${label} ${show(r.metrics[key], unit)}`).join(', ') +
        `, transfer ${show(r.transfer, 'KiB')}`,
    );
  }
  const first = runs[0].lhr;
  const t = first.configSettings.throttling;
  const report = {
    url: BASE_URL,
    runs: RUNS,
    lighthouse_version: first.lighthouseVersion,
    host_user_agent: first.environment.hostUserAgent,
    settings: {
      form_factor: first.configSettings.formFactor,
      screen: first.configSettings.screenEmulation,
      throttling_method: first.configSettings.throttlingMethod,
      rtt_ms: t.rttMs,
      throughput_kbps: t.throughputKbps,
      cpu_slowdown: t.cpuSlowdownMultiplier,
    },
    benchmark_index: summary(runs.map((r) => r.lhr.environment.benchmarkIndex)),
    performance_score: summary(runs.map((r) => r.score).filter((x) => x != null)),
  };
  for (const [, key] of METRICS) report[key] = summary(runs.map((r) => r.metrics[key]).filter((x) => x != null));
  report.transfer_bytes = summary(runs.map((r) => r.transfer).filter((x) => x != null));
  report.first_run_requests = runs[0].requests;
  report.lcp_elements = [...new Set(runs.map((r) => r.lcpElement).filter(Boolean))];
  report.lcp_phases_ms = Object.fromEntries(
    Object.keys(runs[0].lcpPhases).map((k) => [k, summary(runs.map((r) => r.lcpPhases[k]).filter((x) => x != null))]),
  );
  report.warnings = [...new Set(runs.flatMap((r) => r.lhr.runWarnings || []))];
  report.page_requests_beyond_127_0_0_1 = [...new Set(runs.flatMap((r) => r.pageExternal))];
  // What the NetLogs of the runs' Chromiums say about the network.
  const nets = runs.map((r) => r.net);
  const unread = nets.filter((n) => n == null).length;
  report.network = {
    netlogs_read: nets.length - unread,
    netlogs_unreadable: unread,
    reached_beyond_127_0_0_1: [...new Set(nets.flatMap((n) => (n ? n.reached : [])))].sort(),
    background_requests_stopped_before_lookup: [...new Set(nets.flatMap((n) => (n ? n.attempted : [])))].sort(),
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(report, null, 2) + '\n');

  const s = report.settings;
  console.log(
    `\nLighthouse ${report.lighthouse_version}, ${s.form_factor}, ${s.throttling_method}d throttling ` +
      `(${s.rtt_ms} ms RTT, ${(s.throughput_kbps / 1024).toFixed(1)} Mbit/s, ${s.cpu_slowdown}× CPU), ` +
      `median of ${RUNS} runs [min–max]:`,
  );
  const line = (label, v, unit) => console.log(`  ${label.padEnd(18)} ${show(v.median, unit).padStart(9)}  [${show(v.min, unit)}–${show(v.max, unit)}]`);
  line('performance score', report.performance_score, '');
  for (const [, key, label, unit] of METRICS) line(label, report[key], unit);
  line('transfer', report.transfer_bytes, 'KiB');
  for (const e of report.lcp_elements) console.log(`  LCP element: ${e}`);
  const phases = Object.entries(report.lcp_phases_ms);
  if (phases.length) console.log(`  LCP phases, median: ${phases.map(([k, v]) => `${k} ${show(v.median, 'ms')}`).join(', ')}`);
  console.log('requests of the first run (on the wire / unpacked):');
  for (const r of report.first_run_requests) {
    console.log(`  ${show(r.transfer_bytes, 'KiB').padStart(10)} / ${show(r.resource_bytes, 'KiB').padStart(10)}  ${r.url}`);
  }
  for (const w of report.warnings) console.log(`  warning: ${w}`);
  const net = report.network;
  if (net.background_requests_stopped_before_lookup.length) {
    console.log(
      `Chromium's own background requests, stopped before any lookup by --host-resolver-rules:\n  ` +
        net.background_requests_stopped_before_lookup.join('\n  '),
    );
  }
  console.log(`wrote ${OUT}`);
  const problems = [
    ...report.page_requests_beyond_127_0_0_1.map((u) => `the page requested ${u}`),
    ...net.reached_beyond_127_0_0_1,
  ];
  if (net.netlogs_unreadable) problems.push(`${net.netlogs_unreadable} of ${nets.length} NetLogs missing or unreadable: not checked`);
  if (problems.length) throw new Error(`network beyond 127.0.0.1:\n  ${problems.join('\n  ')}`);
  console.log(`network: nothing went beyond 127.0.0.1 (${net.netlogs_read} NetLogs checked)`);
}

main().catch((e) => {
  console.error(e.stack || e);
  process.exit(1);
});
