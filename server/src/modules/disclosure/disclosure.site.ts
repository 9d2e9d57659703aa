import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  localeOfSiteLang,
  type PublicDisclosure,
  type SiteLang,
  type SiteLocale,
  type SiteMessageKey,
  siteLang,
  siteText,
} from '../../../../domain/disclosure.js';
import type { DisclosureService } from './disclosure.service.js';

/**
 * The public site (SPEC M15, §4): server-rendered HTML under /gongkai that needs no JavaScript and no
 * login — list with search and paging, detail, print view, an Atom feed and one small stylesheet.
 * Published items are read fresh on every request (Cache-Control: no-cache with an ETag), so a
 * withdrawn item is gone from every page and the feed at the next request.
 */
export const SITE = '/gongkai';
const PER_PAGE = 20;
const FEED_SIZE = 50;

const esc = (s: string | number) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Plain text with its line breaks as paragraphs; nothing of it is taken as markup. */
const paragraphs = (text: string) =>
  text
    .split(/\r?\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${esc(p)}</p>`)
    .join('\n');

const CSS = `:root{--fg:#1f1f1f;--muted:#4a4a4a;--accent:#a8071a;--line:#d9d9d9;--bg:#fff;--soft:#f6f6f6}
*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;color:var(--fg);background:var(--bg);font:1rem/1.7 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus{outline:3px solid #ffbf47;outline-offset:1px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}.skip:focus{left:.5rem}
header{background:var(--accent);color:#fff;padding:.75rem 1rem}
header a{color:#fff}
.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;max-width:60rem;margin:0 auto}
.brand{font-size:1.25rem;font-weight:700;margin:0;text-decoration:none}
.langs{display:flex;gap:.75rem;list-style:none;margin:0;padding:0}
.langs [aria-current]{font-weight:700;text-decoration:none}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.4;margin:.5rem 0 1rem}
h2{font-size:1.15rem;line-height:1.4;margin:1.25rem 0 .5rem}
form.search{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;background:var(--soft);padding:.75rem;border-radius:4px}
form.search div{display:flex;flex-direction:column;flex:1 1 12rem}
label{font-weight:600;font-size:.95rem}
input,select,button{font:inherit;padding:.45rem .6rem;border:1px solid #767676;border-radius:4px;min-height:2.75rem;background:#fff;color:var(--fg)}
button{background:var(--accent);border-color:var(--accent);color:#fff;cursor:pointer;flex:0 0 auto}
.count{color:var(--muted)}
ol.items{list-style:none;margin:0;padding:0}
ol.items li{border-bottom:1px solid var(--line);padding:.75rem 0}
ol.items h2{margin:0 0 .25rem;font-size:1.05rem}
.meta{color:var(--muted);font-size:.9rem;margin:0}
.excerpt{margin:.25rem 0 0}
nav.pages{display:flex;gap:1rem;align-items:center;justify-content:space-between;margin:1rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.table{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:var(--soft)}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.actions{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
footer{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem;padding:1rem;max-width:60rem;margin:1rem auto 0}
.print header,.print .actions,.print footer nav{display:none}
@media print{header nav,.actions,.skip,form.search,nav.pages{display:none}header{background:none;color:#000}header a{color:#000}a{color:#000;text-decoration:none}body{font-size:11pt}}
`;
const CSS_TAG = createHash('sha256').update(CSS).digest('base64url').slice(0, 16);

interface Ctx {
  lang: SiteLang;
  locale: SiteLocale;
  t: (key: SiteMessageKey, params?: Record<string, string | number>) => string;
  /** A site link keeping the chosen language. */
  href: (path: string, params?: Record<string, string | number | undefined>) => string;
}

function context(req: FastifyRequest): Ctx {
  const q = (req.query ?? {}) as Record<string, unknown>;
  const lang = siteLang(typeof q.lang === 'string' ? q.lang : undefined, req.headers['accept-language']);
  const locale = localeOfSiteLang(lang);
  return {
    lang,
    locale,
    t: (key, params) => siteText(locale, key, params),
    href: (path, params = {}) => {
      const qs = new URLSearchParams();
      const all: Record<string, string | number | undefined> = { ...params, lang };
      for (const [k, v] of Object.entries(all)) if (v !== undefined && v !== '') qs.set(k, String(v));
      return `${path}?${qs.toString()}`;
    },
  };
}

function layout(c: Ctx, title: string, main: string, opts: { switchPath: string; print?: boolean }) {
  const other: [SiteLang, SiteMessageKey][] = [
    ['zh-Hans', 'langHans'],
    ['zh-Hant', 'langHant'],
  ];
  const langs = other
    .map(([l, key]) => {
      const url = opts.switchPath.replace(/([?&])lang=[^&]*/, `$1lang=${l}`);
      return `<li><a href="${esc(url)}" lang="${l}" hreflang="${l}"${l === c.lang ? ' aria-current="true"' : ''}>${esc(c.t(key))}</a></li>`;
    })
    .join('');
  return `<!doctype html>
<html lang="${c.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(c.t('siteTitle'))}</title>
<link rel="stylesheet" href="${SITE}/assets/site.css?v=${CSS_TAG}">
<link rel="alternate" type="application/atom+xml" title="${esc(c.t('feed'))}" href="${esc(c.href(`${SITE}/feed.atom`))}">
</head>
<body${opts.print ? ' class="print"' : ''}>
<a class="skip" href="#main">${esc(c.t('skip'))}</a>
<header>
<div class="top">
<a class="brand" href="${esc(c.href(SITE))}">${esc(c.t('siteTitle'))}</a>
<nav aria-label="${esc(c.t('lang'))}"><ul class="langs">${langs}</ul></nav>
</div>
</header>
<main id="main">
${main}
</main>
<footer><p>${esc(c.t('footer'))}</p><p><a href="${esc(c.href(`${SITE}/feed.atom`))}">${esc(c.t('feed'))}</a></p></footer>
</body>
</html>
`;
}

function excerpt(text: string, n = 90) {
  const flat = text.replace(/\s+/g, ' ').trim();
  return Array.from(flat).length > n ? `${Array.from(flat).slice(0, n).join('')}…` : flat;
}

function metaLine(c: Ctx, d: PublicDisclosure) {
  const parts = [
    `<time datetime="${esc(d.publishedOn)}">${esc(d.publishedOn)}</time>`,
    esc(c.t(d.kind === 'report' ? 'kind_report' : 'kind_typical')),
    esc(d.unitName),
  ];
  if (d.batchNumber !== null) parts.push(esc(c.t('batch', { n: d.batchNumber })));
  return parts.join(' · ');
}

function listPage(
  c: Ctx,
  q: { q: string; kind: string; page: number },
  r: { total: number; pages: number; items: PublicDisclosure[] },
) {
  const kinds: [string, SiteMessageKey][] = [
    ['', 'kindAll'],
    ['report', 'kind_report'],
    ['typical', 'kind_typical'],
  ];
  const options = kinds
    .map(([v, key]) => `<option value="${v}"${v === q.kind ? ' selected' : ''}>${esc(c.t(key))}</option>`)
    .join('');
  const items = r.items
    .map(
      (d) => `<li><article>
<h2><a href="${esc(c.href(`${SITE}/${d.id}`))}">${esc(d.title)}</a></h2>
<p class="meta">${metaLine(c, d)}</p>
<p class="excerpt">${esc(excerpt(d.body))}</p>
</article></li>`,
    )
    .join('\n');
  const pageLink = (p: number, key: SiteMessageKey, rel: string) =>
    `<a rel="${rel}" href="${esc(c.href(SITE, { q: q.q || undefined, kind: q.kind || undefined, page: p }))}">${esc(c.t(key))}</a>`;
  const pager =
    r.pages > 1
      ? `<nav class="pages" aria-label="${esc(c.t('pagination'))}">
<span>${q.page > 1 ? pageLink(q.page - 1, 'prev', 'prev') : ''}</span>
<span>${esc(c.t('page', { page: q.page, pages: r.pages }))}</span>
<span>${q.page < r.pages ? pageLink(q.page + 1, 'next', 'next') : ''}</span>
</nav>`
      : '';
  return `<h1>${esc(c.t('siteTitle'))}</h1>
<form class="search" method="get" action="${SITE}" role="search">
<input type="hidden" name="lang" value="${c.lang}">
<div><label for="q">${esc(c.t('searchLabel'))}</label><input id="q" name="q" type="search" maxlength="100" value="${esc(q.q)}"></div>
<div><label for="kind">${esc(c.t('kindLabel'))}</label><select id="kind" name="kind">${options}</select></div>
<button type="submit">${esc(c.t('search'))}</button>
</form>
<p class="count" role="status">${esc(c.t('results', { n: r.total }))}</p>
${r.items.length ? `<ol class="items">${items}</ol>` : `<p>${esc(c.t('none'))}</p>`}
${pager}`;
}

function detailBody(c: Ctx, d: PublicDisclosure) {
  const facts: [SiteMessageKey, string][] = [
    ['publishedOn', `<time datetime="${esc(d.publishedOn)}">${esc(d.publishedOn)}</time>`],
    ['kindLabel', esc(c.t(d.kind === 'report' ? 'kind_report' : 'kind_typical'))],
    ['unit', esc(d.unitName)],
    ['round', esc(d.roundName)],
  ];
  if (d.batchNumber !== null)
    facts.push([
      'batchLabel',
      `${esc(c.t('batch', { n: d.batchNumber }))}${d.batchTitle ? ` ${esc(d.batchTitle)}` : ''}`,
    ]);
  if (d.channels.length)
    facts.push(['channels', d.channels.map((x) => `${esc(x.channel)}（${esc(x.publishedOn)}）`).join('、')]);
  const dl = facts.map(([k, v]) => `<dt>${esc(c.t(k))}</dt><dd>${v}</dd>`).join('');
  let out = `<h1>${esc(d.title)}</h1>\n<dl class="facts">${dl}</dl>\n${paragraphs(d.body)}`;
  if (d.persons.length) {
    out += `<h2>${esc(c.t('persons'))}</h2><ul>${d.persons
      .map((p) => `<li>${esc([p.post, p.name].filter(Boolean).join(' '))}</li>`)
      .join('')}</ul>`;
  }
  if (d.figures) {
    const f = d.figures;
    const pct = (v: number | null) => (v === null ? c.t('rateNone') : c.t('ratePct', { rate: v.toFixed(1) }));
    const rows: [SiteMessageKey, string][] = [
      ['problemsTotal', String(f.problems)],
      ['problemsRectified', String(f.rectifiedProblems)],
      ['problemRate', pct(f.problemRate)],
      ['measuresTotal', String(f.measures)],
      ['measuresDone', String(f.doneMeasures)],
      ['rate', pct(f.rate)],
      ['rulesEstablished', String(f.rulesEstablished)],
      ['peopleHeld', String(f.peopleHeldAccountable)],
      ['casesFiled', String(f.casesFiled)],
    ];
    if (f.fundsReturned !== null) rows.push(['fundsReturned', f.fundsReturned]);
    if (f.lossesRecovered !== null) rows.push(['lossesRecovered', f.lossesRecovered]);
    out += `<h2 id="figures">${esc(c.t('figures'))}</h2><div class="table"><table aria-labelledby="figures"><tbody>${rows
      .map(([k, v]) => `<tr><th scope="row">${esc(c.t(k))}</th><td class="n">${esc(v)}</td></tr>`)
      .join('')}</tbody></table></div>`;
  }
  if (d.categories.length) {
    out += `<h2 id="bycat">${esc(c.t('byCategory'))}</h2><div class="table"><table aria-labelledby="bycat"><thead><tr><th scope="col">${esc(
      c.t('category'),
    )}</th><th scope="col">${esc(c.t('count'))}</th><th scope="col">${esc(c.t('rectifiedCount'))}</th></tr></thead><tbody>${d.categories
      .map(
        (x) =>
          `<tr><th scope="row">${esc(x.label)}</th><td class="n">${x.problems}</td><td class="n">${x.rectified}</td></tr>`,
      )
      .join('')}</tbody></table></div>`;
  }
  if (d.problems.length) {
    out += `<h2 id="plist">${esc(c.t('problemList'))}</h2><div class="table"><table aria-labelledby="plist"><thead><tr><th scope="col">${esc(
      c.t('number'),
    )}</th><th scope="col">${esc(c.t('category'))}</th><th scope="col">${esc(c.t('status'))}</th></tr></thead><tbody>${d.problems
      .map(
        (p) =>
          `<tr><td>${esc(p.number)}</td><td>${esc(p.category)}</td><td>${esc(c.t(p.rectified ? 'status_rectified' : 'status_rectifying'))}</td></tr>`,
      )
      .join('')}</tbody></table></div>`;
  }
  return out;
}

/** Short-lived caching only: every answer is revalidated, so a withdrawal shows at the next request. */
function send(req: FastifyRequest, reply: FastifyReply, status: number, type: string, body: string) {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply.header('cache-control', 'no-cache, max-age=0').header('vary', 'Accept-Language').header('etag', etag);
  if (status === 200 && req.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.status(status).type(type).send(body);
}

const HTML = 'text/html; charset=utf-8';

function parseId(raw: string): number | null {
  return /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2147483647 ? Number(raw) : null;
}

function notFoundPage(c: Ctx, req: FastifyRequest, reply: FastifyReply, status: 404 | 410) {
  const main = `<h1>${esc(c.t('notFound'))}</h1><p><a href="${esc(c.href(SITE))}">${esc(c.t('back'))}</a></p>`;
  return send(req, reply, status, HTML, layout(c, c.t('notFound'), main, { switchPath: c.href(SITE) }));
}

const xmlEsc = (s: string) => esc(s);

export function registerSite(app: FastifyInstance, service: DisclosureService): void {
  const hide = { schema: { hide: true } };

  app.get(`${SITE}/assets/site.css`, hide, async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('text/css; charset=utf-8').send(CSS),
  );

  app.get(SITE, hide, async (req, reply) => {
    const c = context(req);
    const raw = (req.query ?? {}) as Record<string, unknown>;
    const q = typeof raw.q === 'string' ? raw.q.slice(0, 100) : '';
    const kind = raw.kind === 'report' || raw.kind === 'typical' ? raw.kind : '';
    const pageNo = typeof raw.page === 'string' && /^[1-9]\d{0,5}$/.test(raw.page) ? Number(raw.page) : 1;
    const r = await service.publicPage(c.lang, { q, kind: kind || undefined, page: pageNo, perPage: PER_PAGE });
    const switchPath = c.href(SITE, {
      q: q || undefined,
      kind: kind || undefined,
      page: pageNo > 1 ? pageNo : undefined,
    });
    return send(
      req,
      reply,
      200,
      HTML,
      layout(c, c.t('siteTitle'), listPage(c, { q, kind, page: pageNo }, r), { switchPath }),
    );
  });

  app.get(`${SITE}/feed.atom`, hide, async (req, reply) => {
    const c = context(req);
    const r = await service.publicPage(c.lang, { page: 1, perPage: FEED_SIZE });
    const base = `${req.protocol}://${req.host}`;
    const updated =
      r.items
        .map((d) => d.publishedOn)
        .sort()
        .at(-1) ?? '1970-01-01';
    const entries = r.items
      .map(
        (d) => `<entry>
<id>${xmlEsc(`${base}${SITE}/${d.id}`)}</id>
<title>${xmlEsc(d.title)}</title>
<link rel="alternate" type="text/html" href="${xmlEsc(`${base}${c.href(`${SITE}/${d.id}`)}`)}"/>
<updated>${d.publishedOn}T00:00:00+08:00</updated>
<published>${d.publishedOn}T00:00:00+08:00</published>
<category term="${d.kind}" label="${xmlEsc(c.t(d.kind === 'report' ? 'kind_report' : 'kind_typical'))}"/>
<summary type="text">${xmlEsc(excerpt(d.body, 300))}</summary>
</entry>`,
      )
      .join('\n');
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${c.lang}">
<id>${xmlEsc(`${base}${SITE}`)}</id>
<title>${xmlEsc(c.t('siteTitle'))}</title>
<link rel="self" href="${xmlEsc(`${base}${c.href(`${SITE}/feed.atom`)}`)}"/>
<link rel="alternate" type="text/html" href="${xmlEsc(`${base}${c.href(SITE)}`)}"/>
<updated>${updated}T00:00:00+08:00</updated>
<author><name>${xmlEsc(c.t('siteTitle'))}</name></author>
${entries}
</feed>
`;
    return send(req, reply, 200, 'application/atom+xml; charset=utf-8', xml);
  });

  const detail = (print: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const c = context(req);
    const id = parseId((req.params as { id: string }).id);
    const d = id === null ? null : await service.publicItem(c.lang, id);
    if (d === null) return notFoundPage(c, req, reply, 404);
    if (d === 'gone') return notFoundPage(c, req, reply, 410);
    const path = `${SITE}/${d.id}${print ? '/print' : ''}`;
    const actions = print
      ? ''
      : `<p class="actions"><a href="${esc(c.href(SITE))}">${esc(c.t('back'))}</a><a href="${esc(c.href(`${SITE}/${d.id}/print`))}">${esc(c.t('print'))}</a></p>`;
    const main = `<article>${detailBody(c, d)}</article>${actions}`;
    return send(req, reply, 200, HTML, layout(c, d.title, main, { switchPath: c.href(path), print }));
  };
  app.get(`${SITE}/:id`, hide, detail(false));
  app.get(`${SITE}/:id/print`, hide, detail(true));
  // Anything else under the site is the site's own 404, never the web app's shell.
  app.get(`${SITE}/*`, hide, async (req, reply) => notFoundPage(context(req), req, reply, 404));
}
