// SPDX-License-Identifier: GPL-2.0
//
// Opens a flame graph written by kmemsnoop in headless Chromium and
// checks what a person would see: each frame's rendered width against
// its count, labels that fit their frames, the hover line, zoom and
// search.
//
//   node check_flamegraph.js SVG [--expect NAME[=COUNT]]... [--absent NAME]...
//                                [--search TERM[=PERCENT]]... [--screenshot PNG]
//
// --expect: a frame of that name is drawn (with that count); --absent:
// none is; --search: searching for TERM highlights the frames it matches
// and says what share of all hits they cover (PERCENT, e.g. 94.0, if
// given; always the share worked out here from the frames' counts).
// Prints "ok - ..." or "not ok - ..." per check; exits 1 if any failed.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const TOL = 1; // pixels

let failures = 0;

function check(ok, what) {
	console.log(`${ok ? 'ok' : 'not ok'} - ${what}`);
	if (!ok)
		failures++;
	return ok;
}

function parseArgs(argv) {
	const o = { svg: null, expect: [], absent: [], search: [],
		screenshot: null };

	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];

		if (a === '--expect' || a === '--absent' || a === '--search' ||
		    a === '--screenshot') {
			if (i + 1 >= argv.length)
				throw new Error(`${a} needs a value`);
			const v = argv[++i];
			const pct = /^(.+)=(\d+\.\d)$/.exec(v);
			if (a === '--screenshot') {
				o.screenshot = v;
			} else if (a === '--absent') {
				o.absent.push(v);
			} else if (a === '--search') {
				o.search.push(pct ? { term: pct[1], pct: pct[2] } :
					{ term: v });
			} else {
				const eq = v.lastIndexOf('=');
				o.expect.push(eq < 0 ? { name: v } :
					{ name: v.slice(0, eq), count: Number(v.slice(eq + 1)) });
			}
		} else if (!o.svg) {
			o.svg = a;
		} else {
			throw new Error(`unexpected argument ${a}`);
		}
	}
	if (!o.svg)
		throw new Error('usage: check_flamegraph.js SVG [options]');
	return o;
}

// Every frame as the page shows it now.
function frames(page) {
	return page.$$eval('g.frame', (gs) => gs.map((g, i) => {
		const r = g.querySelector('rect').getBoundingClientRect();
		const t = g.querySelector('text');
		return {
			i,
			name: g.getAttribute('data-name'),
			count: Number(g.getAttribute('data-count')),
			start: Number(g.getAttribute('data-start')),
			depth: Number(g.getAttribute('data-depth')),
			x: r.x,
			w: r.width,
			y: r.y,
			shown: getComputedStyle(g).display !== 'none',
			label: t.textContent,
			labelW: t.getBoundingClientRect().width,
			title: g.querySelector('title').textContent,
		};
	}));
}

// The frame below f (its caller), or undefined for the root.
function parentOf(fs, f) {
	return fs.find((p) => p.depth === f.depth - 1 && p.start <= f.start &&
		p.start + p.count >= f.start + f.count);
}

// Each frame as wide as its share of the frame below it, placed where
// its hits start, its label a part of its name that fits.
function checkLayout(fs, what) {
	const root = fs[0];
	let bad = [];

	for (const f of fs.slice(1)) {
		const p = parentOf(fs, f);
		if (!p) {
			bad.push(`${f.name}: no parent`);
			continue;
		}
		const w = p.w * f.count / p.count;
		const x = root.x + root.w * f.start / root.count;
		if (Math.abs(f.w - w) > TOL)
			bad.push(`${f.name}: width ${f.w}, want ${w} (of ${p.name})`);
		if (Math.abs(f.x - x) > TOL)
			bad.push(`${f.name}: x ${f.x}, want ${x}`);
		if (f.y >= p.y)
			bad.push(`${f.name}: not above ${p.name}`);
	}
	check(bad.length === 0, `${what}: ${fs.length - 1} frames sized ` +
		`and placed by count within ${TOL}px of their parents` +
		(bad.length ? `: ${bad.slice(0, 5).join('; ')}` : ''));

	bad = fs.filter((f) => f.label !== '' && f.label !== f.name &&
		!(f.label.endsWith('..') && f.name.startsWith(f.label.slice(0, -2))));
	check(bad.length === 0, `${what}: labels are the name or cut with ".."` +
		(bad.length ? `: ${bad.map((f) => f.label).join(', ')}` : ''));
	bad = fs.filter((f) => f.label !== '' && f.labelW > f.w);
	check(bad.length === 0, `${what}: rendered labels fit their frames` +
		(bad.length ? `: ${bad.map((f) => `${f.label} ${f.labelW}>${f.w}`).join(', ')}` : ''));
}

function checkNames(fs, o) {
	check(fs[0].name === 'all' && Math.abs(fs[0].w - 1180) <= TOL,
		`the root "all" spans 1180px (${fs[0].w})`);
	for (const e of o.expect) {
		const f = fs.find((g) => g.name === e.name);
		if (e.count === undefined)
			check(!!f && f.w > 0, `frame "${e.name}" drawn`);
		else
			check(!!f && f.count === e.count && f.w > 0,
				`frame "${e.name}" drawn with ${e.count} hits` +
				(f ? ` (${f.count})` : ' (missing)'));
	}
	for (const n of o.absent)
		check(!fs.some((g) => g.name === n), `frame "${n}" left out`);
}

function percent(count, total) {
	const bp = Math.floor(count * 10000 / total);
	return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

async function checkHover(page, fs) {
	// The narrowest frame still wide enough to point at.
	const f = fs.filter((g) => g.w >= 4).sort((a, b) => a.w - b.w)[0];
	const want = `${f.name} (${f.count} hits, ${percent(f.count, fs[0].count)}%)`;

	check(f.title === want, `title of "${f.name}" is "${want}" (${f.title})`);
	await page.locator('g.frame rect').nth(f.i).hover();
	const shown = await page.textContent('#details');
	check(shown === want, `hovering "${f.name}" shows "${shown}"`);
}

function byIndex(fs) {
	const m = new Map();
	fs.forEach((f) => m.set(f.i, f));
	return m;
}

// A narrow frame to zoom into, one with callers besides the root and
// callees where there is one.
function zoomTarget(before) {
	return before.filter((f) => f.depth >= 1 && f.w >= 4 &&
		f.w < before[0].w / 2)
		.sort((a, b) => a.w - b.w || (a.depth >= 2 ? a.depth : 99) -
			(b.depth >= 2 ? b.depth : 99))[0];
}

async function checkZoom(page, before) {
	const root = before[0];
	const z = zoomTarget(before);
	if (!check(!!z, 'there is a frame narrow enough to zoom into'))
		return;

	await page.locator('g.frame rect').nth(z.i).click();
	const after = byIndex(await frames(page));
	const zz = after.get(z.i);
	check(Math.abs(zz.w - root.w) <= TOL && Math.abs(zz.x - root.x) <= TOL,
		`clicked "${z.name}" (${z.w.toFixed(1)}px) now spans the width ` +
		`(${zz.w.toFixed(1)}px)`);
	const bad = [];
	for (const f of before) {
		const a = after.get(f.i);
		const below = f.depth < z.depth && f.start <= z.start &&
			f.start + f.count >= z.start + z.count;
		const above = f.depth > z.depth && f.start >= z.start &&
			f.start + f.count <= z.start + z.count;
		if (below && !(a.shown && Math.abs(a.w - root.w) <= TOL))
			bad.push(`caller ${f.name} not full width`);
		if (above && !(a.shown &&
			Math.abs(a.w - root.w * f.count / z.count) <= TOL))
			bad.push(`callee ${f.name}: ${a.w}`);
		if (!below && !above && f.i !== z.i && a.shown)
			bad.push(`${f.name} still shown`);
	}
	check(bad.length === 0, 'callers span the width, callees widen, ' +
		'the rest hide' + (bad.length ? `: ${bad.slice(0, 5).join('; ')}` : ''));

	check(await page.isVisible('#reset'), '"Reset zoom" shows');
	await page.click('#reset');
	await checkUnzoomed(page, before, '"Reset zoom"');

	await page.locator('g.frame rect').nth(z.i).click();
	await page.locator('g.frame rect').nth(0).click();
	await checkUnzoomed(page, before, 'a click on the root');
}

async function checkUnzoomed(page, before, how) {
	const now = await frames(page);
	const bad = now.filter((f, k) => !f.shown ||
		Math.abs(f.w - before[k].w) > 0.01 || Math.abs(f.x - before[k].x) > 0.01 ||
		f.label !== before[k].label);
	check(bad.length === 0, `${how} restores every frame` +
		(bad.length ? `: ${bad.slice(0, 5).map((f) => f.name).join(', ')}` : ''));
	check(!(await page.isVisible('#reset')), `${how} hides "Reset zoom"`);
}

const HIGHLIGHT = 'rgb(230, 0, 230)';

// What searching shows now: each frame's fill as drawn, the "Matched"
// line, the search control, and whether the last keys pressed were
// taken from the browser (see checkSearch).
function searchState(page) {
	return page.evaluate(() => ({
		fills: Array.from(document.querySelectorAll('g.frame rect'),
			(r) => getComputedStyle(r).fill),
		matched: document.getElementById('matched').textContent,
		control: document.getElementById('search').textContent,
		keys: window.kmKeys.splice(0),
	}));
}

// Searches for term by Ctrl-F (how 'key') or a click on "Search",
// answering the prompt with term (null: cancelling it). Returns how many
// prompts there were.
async function search(page, term, how) {
	let prompts = 0;
	const answer = (d) => {
		prompts++;
		return term === null ? d.dismiss() : d.accept(term);
	};

	page.on('dialog', answer);
	if (how === 'key')
		await page.keyboard.press('Control+f');
	else
		await page.click('#search');
	page.off('dialog', answer);
	return prompts;
}

// What a search for term should show, worked out from the frames'
// names and counts: the frames it matches, and the share of all hits
// in those without a matching frame below them (with it, and so
// counted twice by a plain sum, as "nested").
function expectSearch(fs, term) {
	let match;
	try {
		const re = new RegExp(term);
		match = (name) => re.test(name);
	} catch (e) {
		match = (name) => name.includes(term);
	}
	const hits = new Set(fs.filter((f) => match(f.name)).map((f) => f.i));
	let outer = 0, nested = 0;
	for (const f of fs) {
		if (!hits.has(f.i))
			continue;
		let p = parentOf(fs, f);
		while (p && !hits.has(p.i))
			p = parentOf(fs, p);
		if (p)
			nested++;
		else
			outer += f.count;
	}
	const pct = (100 * outer / Math.max(fs[0].count, 1)).toFixed(1);
	return { hits, nested, matched: `Matched: ${pct}%` };
}

// The search state after a search for s (of expectSearch's want).
function checkFound(st, fs, s, want, how) {
	const what = `search for "${s.term}" by ${how}`;
	const bad = fs.filter((f) => want.hits.has(f.i) !==
		(st.fills[f.i] === HIGHLIGHT)).map((f) => f.name);
	check(bad.length === 0, `${what} highlights the ${want.hits.size} ` +
		`frames it matches and no other` +
		(bad.length ? `: wrong for ${bad.slice(0, 5).join(', ')}` : ''));
	check(st.matched === want.matched, `${what} shows "${want.matched}"` +
		(want.nested ? `, ${want.nested} within another match counted once` : '') +
		` (${st.matched})`);
	if (s.pct !== undefined)
		check(st.matched === `Matched: ${s.pct}%`,
			`${what} covers ${s.pct}% of all hits (${st.matched})`);
	check(st.control === 'Reset search',
		`${what} turns "Search" into "Reset search" (${st.control})`);
}

// The state before any search, back again.
function checkCleared(st, orig, how) {
	const bad = st.fills.filter((f, k) => f !== orig.fills[k]);
	check(bad.length === 0 && st.matched === '' && st.control === 'Search',
		`${how} restores every fill, clears "Matched" and shows ` +
		`"Search"` + (bad.length ? `: ${bad.length} fills differ` : '') +
		(st.matched ? `: "${st.matched}" still shown` : ''));
}

// Each search in turn: by Ctrl-F, which the browser must not also
// take for its own find (a listener after the graph's sees the key
// default-prevented), and cleared by Esc; then by a click on "Search",
// cleared by a click on "Reset search"; one search straight after
// another; a search while zoomed in, which still counts the whole
// graph's hits; a cancelled prompt and a plain "f", which change nothing.
async function checkSearch(page, before, o) {
	const searches = o.search.length ? o.search : [{ term: before[1].name }];

	await page.evaluate(() => {
		window.kmKeys = [];
		window.addEventListener('keydown', (e) =>
			window.kmKeys.push(`${e.key}:${e.defaultPrevented}`));
	});
	const orig = await searchState(page);
	check(!orig.fills.includes(HIGHLIGHT) && orig.matched === '' &&
		orig.control === 'Search', 'no frame highlighted before a search, ' +
		'"Search" shown, no "Matched"');

	for (const s of searches) {
		const want = expectSearch(before, s.term);

		let prompts = await search(page, s.term, 'key');
		let st = await searchState(page);
		check(prompts === 1 && st.keys.includes('f:true'),
			`Ctrl-F asks for a term and keeps the browser's find ` +
			`(${prompts} prompts, keys ${st.keys.join(' ')})`);
		checkFound(st, before, s, want, 'Ctrl-F');
		await page.keyboard.press('Escape');
		checkCleared(await searchState(page), orig, 'Esc');

		prompts = await search(page, s.term, 'click');
		st = await searchState(page);
		check(prompts === 1, `a click on "Search" asks for a term ` +
			`(${prompts} prompts)`);
		checkFound(st, before, s, want, 'a click');
		prompts = await search(page, s.term, 'click');
		check(prompts === 0, `a click on "Reset search" asks for nothing ` +
			`(${prompts} prompts)`);
		checkCleared(await searchState(page), orig, '"Reset search"');
	}

	if (searches.length > 1) {
		const [a, b] = searches;
		await search(page, a.term, 'key');
		await search(page, b.term, 'key');
		checkFound(await searchState(page), before, b,
			expectSearch(before, b.term), `Ctrl-F after "${a.term}"`);
		await page.keyboard.press('Escape');
		checkCleared(await searchState(page), orig, 'Esc');
	}

	const z = zoomTarget(before);
	if (z) {
		const s = searches[0];
		await page.locator('g.frame rect').nth(z.i).click();
		await search(page, s.term, 'key');
		checkFound(await searchState(page), before, s,
			expectSearch(before, s.term), `Ctrl-F zoomed into "${z.name}"`);
		await page.keyboard.press('Escape');
		checkCleared(await searchState(page), orig, 'Esc when zoomed');
		await page.click('#reset');
	}

	const prompts = await search(page, null, 'key');
	let st = await searchState(page);
	check(prompts === 1 && st.matched === '' &&
		st.fills.every((f, k) => f === orig.fills[k]),
		'a cancelled prompt changes nothing');
	await page.keyboard.press('f');
	st = await searchState(page);
	check(st.keys.includes('f:false') && st.matched === '',
		`a plain "f" is left to the browser (keys ${st.keys.join(' ')})`);
}

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kmemsnoop-chromium-'));
	const ctx = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
			'--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
		viewport: { width: 1200, height: 800 },
	});

	try {
		const page = ctx.pages()[0] || await ctx.newPage();
		const errors = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto('file://' + path.resolve(o.svg));
		const before = await frames(page);
		const label = path.basename(o.svg);

		check(before.length > 0, `${label}: ${before.length} frames rendered`);
		checkNames(before, o);
		checkLayout(before, label);
		await checkHover(page, before);
		await checkZoom(page, before);
		await checkSearch(page, before, o);
		if (o.screenshot) {
			// Show the line hovering writes, on a frame most graphs have.
			const f = before.filter((g) => g.name === 'do_syscall_64')
				.sort((a, b) => b.w - a.w)[0] || before[0];
			await page.locator('g.frame rect').nth(f.i).hover();
			const height = Number(await page.getAttribute('svg', 'height'));
			await page.screenshot({ path: o.screenshot,
				clip: { x: 0, y: 0, width: 1200, height } });
			console.log(`# screenshot in ${o.screenshot}`);
		}
		check(errors.length === 0, 'no script errors' +
			(errors.length ? `: ${errors.join('; ')}` : ''));
	} finally {
		await ctx.close();
		fs.rmSync(profile, { recursive: true, force: true });
	}
	process.exit(failures ? 1 : 0);
}

main().catch((e) => {
	console.log(`not ok - ${e.stack || e}`);
	process.exit(1);
});
