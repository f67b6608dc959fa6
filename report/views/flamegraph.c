// SPDX-License-Identifier: GPL-2.0
/*
 * The flame graph: a tree of frames merged by name at each level, and
 * the SVG drawn from it. Every number written into the file is integer
 * arithmetic (positions in hundredths of a pixel), so a tree always
 * gives the same bytes; only the embedded script, which redraws on
 * zoom, computes in floating point.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "../../common/bytes.h"
#include "../../common/htab.h"
#include "flamegraph.h"

/* Geometry, in pixels. */
#define FG_WIDTH 1200
#define FG_PAD 10 /* left and right of the frames */
#define FG_SPAN (FG_WIDTH - 2 * FG_PAD) /* what the root spans */
#define FG_FRAME_H 16
#define FG_TOP 40 /* the heading and the zoom control */
#define FG_BOTTOM 30 /* the line naming the frame under the mouse */
/*
 * Hundredths of a pixel per character of the 12 px monospace font: a
 * little more than DejaVu Sans Mono's 0.602 em, so a label never spills
 * out of its frame. The script reads the same value from data-charw.
 */
#define FG_CHAR_W 730
#define FG_TEXT_PAD 300 /* a label starts 3 px into its frame */
/*
 * A frame under 1/FG_MIN_FRAC of all hits is left out, with everything
 * above it: at 1200 px it is about a pixel wide, too thin to point at
 * or read, and a real trace can have thousands of them. Their hits still
 * count in the frames below them; zooming does not bring them back. A
 * comment in the file says how many frames were left out.
 */
#define FG_MIN_FRAC 1000

/* A node and its name in one allocation: a wide level has many. */
static struct km_fg_node *node_new(const char *name)
{
	size_t len = strlen(name);
	struct km_fg_node *n = calloc(1, sizeof(*n) + len + 1);

	if (!n)
		return NULL;
	memcpy(n + 1, name, len + 1);
	n->name = (const char *)(n + 1);
	return n;
}

struct km_fg_node *km_fg_new(void)
{
	return node_new("all");
}

/*
 * Up to this many kids are looked through one by one: most frames have
 * one or two, and a table for each would cost more than it saves.
 */
#define FG_SCAN_MAX 8

/*
 * A slot of a kid index: the hash beside the kid, so that a probe past
 * other names reads neither their nodes nor their names.
 */
struct km_fg_slot {
	uint64_t hash;
	struct km_fg_node *node; /* NULL: free */
};

static uint64_t name_hash(const char *name)
{
	return km_htab_hash(name, strlen(name));
}

/* Where name (of hash hv) is in an index of cap slots, or the free slot. */
static struct km_fg_slot *index_slot(struct km_fg_slot *idx, size_t cap,
				     const char *name, uint64_t hv)
{
	size_t i = hv & (cap - 1);

	for (;; i = (i + 1) & (cap - 1))
		if (!idx[i].node ||
		    (idx[i].hash == hv && !strcmp(idx[i].node->name, name)))
			return &idx[i];
}

/* Makes n's index room for one more kid, at most half full. */
static int index_reserve(struct km_fg_node *n)
{
	size_t cap = n->index_cap ? n->index_cap : 4 * FG_SCAN_MAX, i;
	struct km_fg_slot *idx, *e;
	uint64_t hv;

	while (2 * (n->nr_kids + 1) > cap)
		cap *= 2;
	if (cap == n->index_cap)
		return 0;
	idx = calloc(cap, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	if (n->index) {
		for (i = 0; i < n->index_cap; i++) {
			e = &n->index[i];
			if (e->node)
				*index_slot(idx, cap, e->node->name, e->hash) =
					*e;
		}
	} else {
		for (i = 0; i < n->nr_kids; i++) {
			hv = name_hash(n->kids[i]->name);
			*index_slot(idx, cap, n->kids[i]->name, hv) =
				(struct km_fg_slot){ hv, n->kids[i] };
		}
	}
	free(n->index);
	n->index = idx;
	n->index_cap = cap;
	return 0;
}

/*
 * Room for one more kid. Not km_grow_array's 64 to start with: most
 * frames have a kid or two, and a trace of a million distinct comms
 * has a million frames with one each.
 */
static int kids_reserve(struct km_fg_node *n)
{
	size_t cap = n->cap_kids ? 2 * n->cap_kids : 2;
	struct km_fg_node **k;

	if (n->nr_kids < n->cap_kids)
		return 0;
	if (cap > SIZE_MAX / sizeof(*k))
		return -ENOMEM;
	k = realloc(n->kids, cap * sizeof(*k));
	if (!k)
		return -ENOMEM;
	n->kids = k;
	n->cap_kids = cap;
	return 0;
}

/* n's kid called name, made without hits if new; NULL without memory. */
static struct km_fg_node *kid(struct km_fg_node *n, const char *name)
{
	struct km_fg_slot *e = NULL;
	struct km_fg_node *k;
	uint64_t hv = 0;
	size_t i;

	if (n->index) {
		hv = name_hash(name);
		e = index_slot(n->index, n->index_cap, name, hv);
		if (e->node)
			return e->node;
	} else {
		for (i = 0; i < n->nr_kids; i++)
			if (!strcmp(n->kids[i]->name, name))
				return n->kids[i];
	}
	if (kids_reserve(n))
		return NULL;
	if (n->nr_kids + 1 > FG_SCAN_MAX) {
		if (!n->index)
			hv = name_hash(name);
		if (index_reserve(n))
			return NULL;
		/* The index may have just been made or moved. */
		e = index_slot(n->index, n->index_cap, name, hv);
	}
	k = node_new(name);
	if (!k)
		return NULL;
	n->kids[n->nr_kids++] = k;
	if (e)
		*e = (struct km_fg_slot){ hv, k };
	return k;
}

static const char *frame_name(const char *name)
{
	return name ? name : "[unknown]";
}

int km_fg_add(struct km_fg_node *root, const char *const *names, size_t n,
	      uint64_t count)
{
	struct km_fg_node *on_stack[64], **path = on_stack, *node = root;
	size_t i;

	if (n > sizeof(on_stack) / sizeof(*on_stack)) {
		path = malloc(n * sizeof(*path));
		if (!path)
			return -ENOMEM;
	}
	/*
	 * Make the whole path before counting, so that running out of
	 * memory half way changes no count; the frames made by then have
	 * no hits and are never drawn.
	 */
	for (i = 0; i < n; i++) {
		node = path[i] = kid(node, frame_name(names[i]));
		if (!node)
			break;
	}
	if (i == n) {
		root->count += count;
		for (i = 0; i < n; i++)
			path[i]->count += count;
	}
	if (path != on_stack)
		free(path);
	return i == n ? 0 : -ENOMEM;
}

void km_fg_free(struct km_fg_node *root)
{
	size_t i;

	if (!root)
		return;
	for (i = 0; i < root->nr_kids; i++)
		km_fg_free(root->kids[i]);
	free(root->kids);
	free(root->index);
	free(root);
}

struct svg {
	FILE *f;
	uint64_t total; /* the root's count, at least 1 */
	unsigned int height;
	size_t omitted; /* frames left out as too narrow */
};

static bool shown(const struct svg *s, const struct km_fg_node *n)
{
	return n->count &&
	       (unsigned __int128)n->count * FG_MIN_FRAC >= s->total;
}

/* How many levels of frames are drawn from n up. */
static unsigned int levels(const struct svg *s, const struct km_fg_node *n)
{
	unsigned int max = 0, l;
	size_t i;

	for (i = 0; i < n->nr_kids; i++)
		if (shown(s, n->kids[i]) && (l = levels(s, n->kids[i])) > max)
			max = l;
	return max + 1;
}

/* Frames with hits in n's subtree. */
static size_t nr_frames(const struct km_fg_node *n)
{
	size_t nr = n->count ? 1 : 0, i;

	for (i = 0; i < n->nr_kids; i++)
		nr += nr_frames(n->kids[i]);
	return nr;
}

/* Where the hit numbered at (0 <= at <= total) begins, in 1/100 px. */
static uint64_t x_of(const struct svg *s, uint64_t at)
{
	return FG_PAD * 100 +
	       (uint64_t)((unsigned __int128)at * FG_SPAN * 100 / s->total);
}

static void put_fixed(FILE *f, uint64_t hundredths)
{
	fprintf(f, "%" PRIu64 ".%02" PRIu64, hundredths / 100,
		hundredths % 100);
}

/*
 * Names are bytes, not UTF-8 (a comm can hold anything): each byte
 * becomes one character, as common/json.c reads them, so any name
 * parses. Bytes from 0x80 are Latin-1; control bytes, which XML allows
 * not even as references, become their pictures (U+2400 on).
 */
static void put_xml(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\'')
			fputs("&apos;", f);
		else if (c < 0x20)
			fprintf(f, "&#x%x;", 0x2400 + c);
		else if (c == 0x7f)
			fputs("&#x2421;", f);
		else if (c >= 0x80)
			fprintf(f, "&#x%x;", c);
		else
			fputc(c, f);
	}
}

/*
 * The label of a frame w hundredths of a pixel wide: the name, or what
 * fits of it and "..", or nothing if under three characters fit. The
 * script labels a frame the same way when it redraws it.
 */
static void put_label(FILE *f, const char *name, uint64_t w)
{
	size_t len = strlen(name), fit = 0;

	if (w > 2 * FG_TEXT_PAD)
		fit = (w - 2 * FG_TEXT_PAD) / FG_CHAR_W;
	if (fit < 3)
		return;
	if (len <= fit) {
		put_xml(f, name, len);
		return;
	}
	put_xml(f, name, fit - 2);
	fputs("..", f);
}

/*
 * A warm colour (red to yellow) from a hash of the name, so that a
 * function has the same colour in every graph and neighbours differ.
 */
static void put_colour(FILE *f, const char *name)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	const char *p;

	for (p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h ^= h >> 15; /* FNV's low bits alone vary little */
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	fprintf(f, "rgb(%u,%u,%u)", 205 + h % 51, (h >> 8) % 231,
		(h >> 16) % 56);
}

/* "name (N hits, P%)", the percentage of all hits to two decimals. */
static void put_title(const struct svg *s, const struct km_fg_node *n)
{
	uint64_t bp = (unsigned __int128)n->count * 10000 / s->total;

	put_xml(s->f, n->name, strlen(n->name));
	fprintf(s->f, " (%" PRIu64 " hits, %" PRIu64 ".%02" PRIu64 "%%)",
		n->count, bp / 100, bp % 100);
}

/*
 * One frame, its hits numbered from at. The data attributes are what
 * the script zooms with, and what tests look frames up by.
 */
static void put_frame(struct svg *s, const struct km_fg_node *n,
		      unsigned int depth, uint64_t at)
{
	/* The root spans the width even with no hits at all. */
	uint64_t x0 = x_of(s, at),
		 x1 = x_of(s, depth ? at + n->count : s->total);
	unsigned int y = s->height - FG_BOTTOM - (depth + 1) * FG_FRAME_H;
	FILE *f = s->f;

	fputs("<g class=\"frame\" data-name=\"", f);
	put_xml(f, n->name, strlen(n->name));
	fprintf(f,
		"\" data-count=\"%" PRIu64 "\" data-start=\"%" PRIu64
		"\" data-depth=\"%u\"><title>",
		n->count, at, depth);
	put_title(s, n);
	fputs("</title><rect x=\"", f);
	put_fixed(f, x0);
	fprintf(f, "\" y=\"%u\" width=\"", y);
	put_fixed(f, x1 - x0);
	fprintf(f, "\" height=\"%u\" rx=\"2\" fill=\"", FG_FRAME_H - 1);
	put_colour(f, n->name);
	fputs("\"/><text x=\"", f);
	put_fixed(f, x0 + FG_TEXT_PAD);
	fprintf(f, "\" y=\"%u\">", y + 12);
	put_label(f, n->name, x1 - x0);
	fputs("</text></g>\n", f);
}

static int by_name(const void *a, const void *b)
{
	const struct km_fg_node *x = *(const struct km_fg_node *const *)a;
	const struct km_fg_node *y = *(const struct km_fg_node *const *)b;

	return strcmp(x->name, y->name);
}

/*
 * n and what is above it, children left to right in name order: sorted
 * here, once per node, since the tree keeps them as they came. A node
 * none of whose kids is drawn needs no order (only their frames are
 * counted), which spares sorting the widest levels, all too thin.
 */
static int put_tree(struct svg *s, const struct km_fg_node *n,
		    unsigned int depth, uint64_t at)
{
	const struct km_fg_node **k;
	size_t i;
	int err = 0;

	put_frame(s, n, depth, at);
	for (i = 0; i < n->nr_kids && !shown(s, n->kids[i]); i++)
		;
	if (i == n->nr_kids) {
		for (i = 0; i < n->nr_kids; i++)
			s->omitted += nr_frames(n->kids[i]);
		return 0;
	}
	k = malloc(n->nr_kids * sizeof(*k));
	if (!k)
		return -ENOMEM;
	memcpy(k, n->kids, n->nr_kids * sizeof(*k));
	qsort(k, n->nr_kids, sizeof(*k), by_name);
	for (i = 0; !err && i < n->nr_kids; i++) {
		if (shown(s, k[i]))
			err = put_tree(s, k[i], depth + 1, at);
		else
			s->omitted += nr_frames(k[i]);
		at += k[i]->count;
	}
	free(k);
	return err;
}

static const char style[] =
	"<style type=\"text/css\">\n"
	"text { font-family: \"DejaVu Sans Mono\", monospace; font-size: 12px;"
	" fill: #000; }\n"
	"#title { font-size: 17px; text-anchor: middle; }\n"
	"#reset, #search { cursor: pointer; fill: #1a5fb4; }\n"
	"#search, #matched { text-anchor: end; }\n"
	"g.frame { cursor: pointer; }\n"
	"g.frame:hover rect { stroke: #000; stroke-width: 0.5; }\n"
	"g.frame text { pointer-events: none; }\n"
	"g.parent { opacity: 0.6; }\n"
	"g.match rect { fill: rgb(230,0,230); }\n"
	".hide { display: none; }\n"
	"</style>\n";

/*
 * Zoom: the clicked frame and the frames below it (its callers) span
 * the width, the frames above it (its callees) widen with it, all
 * others hide. The root, or "Reset zoom", zooms back out. Hovering a
 * frame writes its <title> into the line at the bottom.
 *
 * Search, as flamegraph.pl's: Ctrl-F or "Search" asks for a regular
 * expression (one that does not parse is a plain substring), paints
 * the frames whose names match (a class, so that the fill attributes
 * stay as written) and writes what share of all hits they cover, of
 * the whole graph whatever the zoom. A match above another is within
 * its hits and not counted again. Esc or "Reset search" clears it.
 */
static const char script[] =
	"<script type=\"text/ecmascript\"><![CDATA[\n"
	"\"use strict\";\n"
	"(function () {\n"
	"  var svg = document.documentElement;\n"
	"  var left = Number(svg.getAttribute(\"data-left\"));\n"
	"  var span = Number(svg.getAttribute(\"data-span\"));\n"
	"  var charw = Math.round(Number(svg.getAttribute(\"data-charw\")) * 100);\n"
	"  var frames = [].slice.call(document.querySelectorAll(\"g.frame\"));\n"
	"  var root = frames[0];\n"
	"  var reset = document.getElementById(\"reset\");\n"
	"  var details = document.getElementById(\"details\");\n"
	"  var search = document.getElementById(\"search\");\n"
	"  var matched = document.getElementById(\"matched\");\n"
	"  var searching = false;\n"
	"\n"
	"  function num(g, key) {\n"
	"    return Number(g.getAttribute(\"data-\" + key));\n"
	"  }\n"
	"  /* Positions are in hundredths of a pixel, whole numbers as in C. */\n"
	"  function label(name, w) {\n"
	"    var fit = w > 600 ? Math.floor((w - 600) / charw) : 0;\n"
	"    if (fit < 3)\n"
	"      return \"\";\n"
	"    return name.length <= fit ? name : name.slice(0, fit - 2) + \"..\";\n"
	"  }\n"
	"  function place(g, x0, x1) {\n"
	"    var r = g.querySelector(\"rect\"), t = g.querySelector(\"text\");\n"
	"    r.setAttribute(\"x\", (x0 / 100).toFixed(2));\n"
	"    r.setAttribute(\"width\", ((x1 - x0) / 100).toFixed(2));\n"
	"    t.setAttribute(\"x\", (x0 / 100 + 3).toFixed(2));\n"
	"    t.textContent = label(g.getAttribute(\"data-name\"), x1 - x0);\n"
	"  }\n"
	"  /* Where hit at begins when hits zs..zs+zc span the width. */\n"
	"  function x(at, zs, zc) {\n"
	"    return left * 100 + Math.floor((at - zs) * span * 100 / zc);\n"
	"  }\n"
	"  function zoom(z) {\n"
	"    var zs = num(z, \"start\"), zc = num(z, \"count\");\n"
	"    var zd = num(z, \"depth\");\n"
	"    if (!zc)\n"
	"      return;\n"
	"    frames.forEach(function (g) {\n"
	"      var s = num(g, \"start\"), c = num(g, \"count\");\n"
	"      var d = num(g, \"depth\");\n"
	"      var below = d < zd && s <= zs && s + c >= zs + zc;\n"
	"      var above = d >= zd && s >= zs && s + c <= zs + zc;\n"
	"      g.classList.toggle(\"hide\", !below && !above);\n"
	"      g.classList.toggle(\"parent\", below);\n"
	"      if (below)\n"
	"        place(g, x(zs, zs, zc), x(zs + zc, zs, zc));\n"
	"      else if (above)\n"
	"        place(g, x(s, zs, zc), x(s + c, zs, zc));\n"
	"    });\n"
	"    reset.classList.toggle(\"hide\", z === root);\n"
	"  }\n"
	"  function matcher(term) {\n"
	"    try {\n"
	"      var re = new RegExp(term);\n"
	"      return function (name) { return re.test(name); };\n"
	"    } catch (err) {\n"
	"      return function (name) { return name.indexOf(term) !== -1; };\n"
	"    }\n"
	"  }\n"
	"  /*\n"
	"   * Frames come depth first (a frame, then those above it, left to\n"
	"   * right): a frame above the last match counted starts before that\n"
	"   * match ends, any other frame after it starts at or past its end.\n"
	"   */\n"
	"  function find(term) {\n"
	"    var match = matcher(term), hits = 0, end = 0, pct;\n"
	"    frames.forEach(function (g) {\n"
	"      var s = num(g, \"start\"), c = num(g, \"count\");\n"
	"      var m = match(g.getAttribute(\"data-name\"));\n"
	"      g.classList.toggle(\"match\", m);\n"
	"      if (m && s >= end) {\n"
	"        hits += c;\n"
	"        end = s + c;\n"
	"      }\n"
	"    });\n"
	"    pct = 100 * hits / Math.max(num(root, \"count\"), 1);\n"
	"    matched.textContent = \"Matched: \" + pct.toFixed(1) + \"%\";\n"
	"    search.textContent = \"Reset search\";\n"
	"    searching = true;\n"
	"  }\n"
	"  function unfind() {\n"
	"    frames.forEach(function (g) {\n"
	"      g.classList.remove(\"match\");\n"
	"    });\n"
	"    matched.textContent = \"\";\n"
	"    search.textContent = \"Search\";\n"
	"    searching = false;\n"
	"  }\n"
	"  function ask() {\n"
	"    var term = prompt(\"Search for (a regular expression):\", \"\");\n"
	"    if (term)\n"
	"      find(term);\n"
	"  }\n"
	"  svg.addEventListener(\"click\", function (e) {\n"
	"    var g = e.target.closest(\"g.frame\");\n"
	"    if (g)\n"
	"      zoom(g);\n"
	"    else if (e.target === reset)\n"
	"      zoom(root);\n"
	"    else if (e.target === search && searching)\n"
	"      unfind();\n"
	"    else if (e.target === search)\n"
	"      ask();\n"
	"  });\n"
	"  window.addEventListener(\"keydown\", function (e) {\n"
	"    if ((e.ctrlKey || e.metaKey) && !e.altKey &&\n"
	"        e.key.toLowerCase() === \"f\") {\n"
	"      e.preventDefault();\n"
	"      ask();\n"
	"    } else if (e.key === \"Escape\" && searching) {\n"
	"      unfind();\n"
	"    }\n"
	"  });\n"
	"  svg.addEventListener(\"mouseover\", function (e) {\n"
	"    var g = e.target.closest(\"g.frame\");\n"
	"    details.textContent = g ? g.querySelector(\"title\").textContent"
	" : \"\";\n"
	"  });\n"
	"})();\n"
	"]]></script>\n";

static void put_head(const struct svg *s, const char *title)
{
	FILE *f = s->f;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n",
	      f);
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\""
		" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\""
		" data-left=\"%u\" data-span=\"%u\" data-charw=\"%u.%02u\">\n",
		FG_WIDTH, s->height, FG_WIDTH, s->height, FG_PAD, FG_SPAN,
		FG_CHAR_W / 100, FG_CHAR_W % 100);
	fputs(style, f);
	fprintf(f,
		"<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\""
		" fill=\"#f8f8f4\"/>\n",
		FG_WIDTH, s->height);
	fprintf(f, "<text id=\"title\" x=\"%u\" y=\"24\">", FG_WIDTH / 2);
	put_xml(f, title, strlen(title));
	fprintf(f,
		"</text>\n<text id=\"reset\" class=\"hide\" x=\"%u\""
		" y=\"24\">Reset zoom</text>\n",
		FG_PAD);
	fprintf(f, "<text id=\"search\" x=\"%u\" y=\"24\">Search</text>\n",
		FG_WIDTH - FG_PAD);
	fprintf(f, "<text id=\"details\" x=\"%u\" y=\"%u\"></text>\n", FG_PAD,
		s->height - 10);
	fprintf(f, "<text id=\"matched\" x=\"%u\" y=\"%u\"></text>\n",
		FG_WIDTH - FG_PAD, s->height - 10);
}

int km_flamegraph_svg(FILE *f, const struct km_fg_node *root, const char *title)
{
	struct svg s = { .f = f, .total = root->count ? root->count : 1 };
	int err;

	s.height = FG_TOP + levels(&s, root) * FG_FRAME_H + FG_BOTTOM;
	put_head(&s, title ? title : "Flame Graph");
	fputs("<g id=\"frames\">\n", f);
	err = put_tree(&s, root, 0, 0);
	if (err)
		return err;
	fputs("</g>\n", f);
	fprintf(f, "<!-- %zu frames under 0.1%% of all hits are left out -->\n",
		s.omitted);
	fputs(script, f);
	fputs("</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}
