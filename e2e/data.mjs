// The app's data as the browser specs see it, read from data/*.json, and the few rules of the
// app that specs need to compute what a user should see (date order, date labels, citation
// labels, search, places). Kept in one place so every spec agrees with the app the same way.

import { readFileSync } from 'node:fs';
import { assert } from './lib.mjs';

export const data = (name) => JSON.parse(readFileSync(new URL(`../data/${name}`, import.meta.url), 'utf8'));
export const EVENTS = data('events.json');
export const SOURCES = data('sources.json');
export const PLACES = data('places.json');
export const SERIES = data('series.json');
export const STUDENTS = data('students.json');
export const STORY = data('story.json');

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "1950s" → decade (p 0) before year (1), month (2), day (3); month/day 0 when absent. */
export function parseDate(s) {
  if (s.endsWith('s')) return { y: Number(s.slice(0, 4)), m: 0, d: 0, p: 0 };
  const [y, m, d] = s.split('-');
  return { y: Number(y), m: m ? Number(m) : 0, d: d ? Number(d) : 0, p: d ? 3 : m ? 2 : 1 };
}
export const cmpDate = (a, b) => a.y - b.y || a.m - b.m || a.d - b.d || a.p - b.p;
export const showDate = (k) => [`${k.y}s`, `${k.y}`, `${MONTHS[k.m - 1]} ${k.y}`, `${k.d} ${MONTHS[k.m - 1]} ${k.y}`][k.p];

/** The date at its real precision, as the app writes it ("1965", "January 1966", "1 May 1948");
 * an end the source only announced says so. */
export function dateLabel(e) {
  const label = spanLabel(e);
  return e.end_planned ? `${label} (end as planned)` : label;
}

function spanLabel(e) {
  const s = parseDate(e.date);
  if (!e.end) return showDate(s);
  const t = parseDate(e.end);
  if (s.p === 3 && t.p === 3 && s.y === t.y) {
    if (s.m === t.m) return `${s.d}–${t.d} ${MONTHS[s.m - 1]} ${s.y}`;
    return `${s.d} ${MONTHS[s.m - 1]} – ${t.d} ${MONTHS[t.m - 1]} ${t.y}`;
  }
  if (s.p === 1 && t.p === 1) return `${s.y}–${t.y}`;
  return `${showDate(s)} – ${showDate(t)}`;
}

/** The events in date order; Array.prototype.sort is stable, so same dates keep file order. */
export const BY_DATE = EVENTS.map((e) => ({ e, k: parseDate(e.date) })).sort((a, b) => cmpDate(a.k, b.k)).map((x) => x.e);

/** Author–date label of a source, as the app writes it: "Ahmed, Baloch & Abbas 2023". */
export function sourceShort(id) {
  const s = SOURCES.find((x) => x.id === id);
  assert(s, `source ${id} in data/sources.json`);
  const surname = (n) => n.trim().split(/\s+/).pop();
  const a = s.authors || [];
  let who;
  if (a.length === 0) who = s.organisation || `\u201c${s.title}\u201d`;
  else if (a.length === 1) who = surname(a[0]);
  else who = `${a.slice(0, -1).map(surname).join(', ')} & ${surname(a[a.length - 1])}`;
  return `${who} ${String(s.published).slice(0, 4)}`;
}
export const citeText = (c) => `${sourceShort(c.source)}, ${c.locator}${c.cited_in ? ` (citing ${c.cited_in})` : ''}`;

/** The app's search: every word in title, summary, date label, place names or locators. */
export function matchesSearch(e, query) {
  const fold = (s) => s.toLowerCase().replace(/[–—]/g, '-');
  const words = fold(query).split(/\s+/).filter(Boolean);
  const hay = [e.title, e.summary, dateLabel(e), ...(e.places || []).map((p) => (PLACES.find((x) => x.id === p) || {}).name || ''), ...e.sources.map((c) => c.locator)]
    .map(fold)
    .join(' ');
  return words.every((w) => hay.includes(w));
}

/** An event is at a place when one of its places is the place or lies inside it. */
export function atPlace(e, id) {
  return (e.places || []).some((p) => {
    for (let cur = p, n = 0; cur && n < 5; n++) {
      if (cur === id) return true;
      cur = (PLACES.find((x) => x.id === cur) || {}).parent;
    }
    return false;
  });
}

/** The ids of the events table's rows, in order. */
export const tableIds = (page) => page.$$eval('table.events tbody tr[data-event-id]', (rs) => rs.map((r) => r.dataset.eventId));

/** Waits for the next two animation frames (redraws are coalesced to one per frame). */
export const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
