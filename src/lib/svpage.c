/* svpage: what svweb serves, rendered from svview records into an sbuf:
 * the page of every service (HTML, one row per service, with inline CSS
 * and a short script that refreshes the rows from /status.json), one
 * service's page, the svstat -j objects as one JSON array, and the
 * Prometheus metrics. Pure formatting: reads no file, owns none. */
#include <stdio.h>
#include <string.h>

#include "sbuf.h"
#include "svconf.h"
#include "svpage.h"
#include "svstatus.h"
#include "svview.h"

#define COLS	8	/* columns of the page's table */

static const char css[] =
":root{--bg:#f6f7f9;--fg:#1b1f24;--mut:#667085;--card:#fff;--line:#e3e6ea;"
"--ok:#13795b;--okb:#dcf3e9;--warn:#8a5a00;--warnb:#fdf0d2;--bad:#b42318;"
"--badb:#fde4e1;--off:#475467;--offb:#eaecf0}"
"@media(prefers-color-scheme:dark){:root{--bg:#111418;--fg:#e6e8eb;"
"--mut:#98a2b3;--card:#1a1e24;--line:#2c323a;--ok:#5ed3a5;--okb:#12392c;"
"--warn:#f5c35b;--warnb:#3d2f0f;--bad:#ff8a80;--badb:#451815;--off:#c0c6cf;"
"--offb:#2c323a}}"
"*{box-sizing:border-box}[hidden]{display:none!important}"
"body{margin:0;font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,"
"sans-serif;background:var(--bg);color:var(--fg)}"
"header{display:flex;flex-wrap:wrap;gap:.3em 1em;align-items:baseline;"
"padding:14px 18px;border-bottom:1px solid var(--line);background:var(--card)}"
"h1{font-size:19px;margin:0}h1 small{font-weight:400;color:var(--mut)}"
"#sum{font-weight:600}#upd{color:var(--mut);margin-left:auto;font-size:13px}"
"main{padding:14px 18px;max-width:1100px}"
"table{width:100%;border-collapse:collapse;background:var(--card);"
"border:1px solid var(--line);border-radius:8px;overflow:hidden}"
"th,td{padding:8px 10px;text-align:left;border-bottom:1px solid var(--line);"
"vertical-align:middle}"
"th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;"
"color:var(--mut);font-weight:600}"
"td.n{font-variant-numeric:tabular-nums}"
"a{color:inherit}td.name a{font-weight:600;text-decoration:none}"
"td.name a:hover{text-decoration:underline}"
".b{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;"
"font-weight:600}"
".up,.ready{color:var(--ok);background:var(--okb)}"
".starting,.failing,.finish,.finishing{color:var(--warn);"
"background:var(--warnb)}"
".failed,.unsupervised{color:var(--bad);background:var(--badb)}"
".down{color:var(--off);background:var(--offb)}"
".logbtn{font:inherit;font-size:13px;padding:2px 10px;border:1px solid "
"var(--line);border-radius:6px;background:var(--bg);color:var(--fg);"
"cursor:pointer;text-decoration:none}"
"tr.log td{background:var(--bg)}"
"pre{margin:0;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"
"monospace;white-space:pre-wrap;word-break:break-all;max-height:22em;"
"overflow:auto}"
".mut{color:var(--mut)}"
".note{display:block;font-size:12px;margin-top:2px}.note:empty,.tag:empty"
"{display:none}.note.chk{color:var(--warn)}.note.cfg{color:var(--bad)}"
".tag{margin-left:.5em;padding:0 6px;border:1px solid var(--line);"
"border-radius:4px;font-size:11px;font-weight:600;color:var(--mut);"
"text-transform:uppercase;letter-spacing:.04em;vertical-align:middle}"
"h2{font-size:12px;text-transform:uppercase;letter-spacing:.04em;"
"color:var(--mut);margin:18px 0 6px}"
"pre.box{background:var(--card);border:1px solid var(--line);"
"border-radius:8px;padding:10px 12px;max-height:none}"
"@media(max-width:700px){thead{display:none}"
"table,tbody,tr,td{display:block;width:100%}"
"table{border:0;background:none}"
"tr.svc{display:grid;grid-template-columns:1fr 1fr;background:var(--card);"
"border:1px solid var(--line);border-radius:8px;margin-top:10px;"
"padding:6px 0}"
"tr.log{margin-top:-6px}tr.log td{border:1px solid var(--line);"
"border-top:0;border-radius:0 0 8px 8px}"
"tr.svc td{border:0;padding:3px 12px}"
"tr.svc td::before{content:attr(data-l);display:block;color:var(--mut);"
"font-size:11px;text-transform:uppercase;letter-spacing:.04em}"
"tr.svc td.name{grid-column:1/3;font-size:17px}"
"tr.svc td.name::before{content:none}}";

static const char script[] =
"(function(){"
"function dur(s){if(s<60)return s+'s';if(s<3600)return Math.floor(s/60)+"
"'m '+s%60+'s';if(s<86400)return Math.floor(s/3600)+'h '+"
"Math.floor(s%3600/60)+'m';return Math.floor(s/86400)+'d '+"
"Math.floor(s%86400/3600)+'h'}"
"function health(o){if(o.error)return'unsupervised';if(o.failed)"
"return'failed';if(o.state=='finish')return'finishing';if(o.state!='up')"
"return'down';return!o.ready?'starting':o.checkfailures>0?'failing':'ready'}"
"function chk(o){return o.checkfailures>0?'check failing '+o.checkfailures+"
"'/'+o.checklimit:''}"
"function cfg(o){var c=o.configerrors;return!o.configerror?'':'bad config'+"
"(c&&c.length?': '+c.join(', '):' at the start (fixed since)')}"
"function last(o){var e=o.lastexit;if(!e)return'\\u2013';"
"return e.signal!==undefined?'signal '+e.signal:'code '+e.code}"
"function set(tr,k,t,c){var td=tr.querySelector('[data-k='+k+']');"
"if(!td)return;var e=c?td.firstChild:td;if(!e)return;"
"if(e.textContent!==t)e.textContent=t;if(c)e.className='b '+c}"
"function bind(){document.querySelectorAll('.logbtn').forEach(function(b){"
"b.onclick=function(ev){ev.preventDefault();"
"var r=b.closest('tr').nextElementSibling;r.hidden=!r.hidden;"
"b.setAttribute('aria-expanded',!r.hidden);if(!r.hidden)logs(r)}})}"
"function logs(r){fetch('/service/'+encodeURIComponent(r.dataset.name)+"
"'/log',{cache:'no-store'}).then(function(x){return x.ok?x.text():null})"
".then(function(t){var p=r.querySelector('pre');if(t!==null&&"
"p.textContent!==t)p.textContent=t||'(no log lines)'}).catch(function(){})}"
"function sum(a){var u=0,f=0,s=0,g=0;a.forEach(function(o){var h=health(o);"
"if(o.failed||o.error)f++;else if(o.state=='up')u++;if(h=='starting')s++;"
"if(h=='failing')g++});return a.length+' services: '+u+' up'+(s+g?' ('+s+"
"' starting, '+g+' failing)':'')+', '+(a.length-u-f)+' down'+"
"(f?', '+f+' failed':'')}"
"var U=document.getElementById('upd');"
"function tick(){fetch('/status.json',{cache:'no-store'}).then(function(r){"
"if(!r.ok)throw r;return r.json()}).then(function(a){var rows={},n=0;"
"document.querySelectorAll('tr.svc').forEach(function(t){"
"rows[t.dataset.name]=t;n++});"
"if(n!=a.length||!a.every(function(o){return rows[o.dir]}))"
"return fetch('/',{cache:'no-store'}).then(function(r){return r.text()})"
".then(function(t){var d=new DOMParser().parseFromString(t,'text/html');"
"document.querySelector('tbody').replaceWith(d.querySelector('tbody'));"
"document.getElementById('sum').textContent=sum(a);bind()});"
"a.forEach(function(o){var t=rows[o.dir],h=health(o),"
"s=o.error?'?':o.state;set(t,'state',s,s);set(t,'pid',o.pid==null?"
"'\\u2013':String(o.pid));set(t,'uptime',o.state=='up'?dur(o.seconds):"
"o.error?'\\u2013':s+' '+dur(o.seconds));set(t,'health',h,h);"
"set(t,'restarts',o.restarts==null?'\\u2013':String(o.restarts));"
"set(t,'last',last(o));set(t,'chk',o.error?'':chk(o));"
"set(t,'cfg',o.error?'':cfg(o));set(t,'ess',o.essential?'essential':'')});"
"document.getElementById('sum').textContent=sum(a);"
"document.querySelectorAll('tr.log:not([hidden])').forEach(logs);"
"U.textContent='updated '+new Date().toLocaleTimeString()})"
".catch(function(){U.textContent='svweb unreachable, retrying'})"
".then(function(){setTimeout(tick,2000)})}"
"bind();var h=decodeURIComponent(location.hash.slice(1));"
"document.querySelectorAll('tr.log').forEach(function(r){"
"if(h&&r.dataset.name===h){r.hidden=false;"
"r.previousElementSibling.querySelector('.logbtn')"
".setAttribute('aria-expanded',true)}});setTimeout(tick,2000)})();";

/* "42s", "5m 3s", "3h 5m", "2d 3h": the shape the script writes too. */
void
svpage_duration(struct sbuf *b, long long s)
{
	if (s < 60)
		sbuf_printf(b, "%llds", s);
	else if (s < 3600)
		sbuf_printf(b, "%lldm %llds", s / 60, s % 60);
	else if (s < 86400)
		sbuf_printf(b, "%lldh %lldm", s / 3600, s % 3600 / 60);
	else
		sbuf_printf(b, "%lldd %lldh", s / 86400, s % 86400 / 3600);
}

/* One word for a service's health: ready, starting (up, not ready yet),
 * failing (ready, its last liveness checks failed), failed, finishing,
 * down, or unsupervised (no supervise runs on it). */
const char *
svpage_health(const struct svview_dir *d)
{
	const struct svstatus *st = &d->main.st;

	if (!d->main.ok)
		return "unsupervised";
	if (st->flags & SVF_FAILED)
		return "failed";
	if (st->state == SV_FINISH)
		return "finishing";
	if (st->state != SV_RUN)
		return "down";
	if (!(st->flags & SVF_READY))
		return "starting";
	return st->version >= 1 && st->checkfailures > 0 ? "failing" : "ready";
}

/* The config files invalid now of a run that started with one invalid;
 * 1 if they have been fixed since (the run still has the defaults). */
long
svpage_conferrs(const struct svview *v)
{
	if (!v->ok || v->st.version < 1 || !(v->st.flags & SVF_CONFERR))
		return 0;
	return v->conf.nbad > 0 ? (long)v->conf.nbad : 1;
}

/* The notes under a row's health: a failing streak, bad config files. */
static void
notes(struct sbuf *b, const struct svview *v)
{
	const struct svstatus *st = &v->st;
	unsigned i;

	sbuf_puts(b, "<span class=\"note chk\" data-k=\"chk\">");
	if (v->ok && st->version >= 1 && st->checkfailures > 0)
		sbuf_printf(b, "check failing %u/%lld", st->checkfailures,
		    (long long)v->checkmax);
	sbuf_puts(b, "</span><span class=\"note cfg\" data-k=\"cfg\">");
	if (svpage_conferrs(v) > 0) {
		sbuf_puts(b, "bad config");
		for (i = 0; i < v->conf.nbad; i++) {
			sbuf_puts(b, i == 0 ? ": " : ", ");
			sbuf_html(b, v->conf.bads[i].file,
			    strlen(v->conf.bads[i].file));
		}
		if (v->conf.nbad == 0)
			sbuf_puts(b, " at the start (fixed since)");
	}
	sbuf_puts(b, "</span>");
}

/* The array of svstat -j objects, one per line. */
void
svpage_json(struct sbuf *b, const struct svpage_svc *s, size_t n,
    const struct timespec *now)
{
	size_t i;

	sbuf_putc(b, '[');
	for (i = 0; i < n; i++) {
		sbuf_puts(b, i == 0 ? "\n" : ",\n");
		svview_json(b, s[i].name, &s[i].d, now);
	}
	sbuf_puts(b, "\n]\n");
}

/* A label value: backslash, quote and newline escaped. */
static void
label(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			sbuf_printf(b, "\\%c", *s);
		else if (*s == '\n')
			sbuf_puts(b, "\\n");
		else
			sbuf_putc(b, *s);
	}
}

enum metric {
	M_UP, M_READY, M_FAILED, M_STARTS, M_UPTIME, M_LASTEXIT, M_RESTARTS,
	M_ESSENTIAL, M_CHECKFAIL, M_CHECKLIMIT, M_CONFERR, M_COUNT
};

/* The value of metric m for d into *v; 0 when it has none. */
static int
value(int m, const struct svpage_svc *s, const struct timespec *now,
    long long *v)
{
	const struct svview *sv = &s->d.main;
	const struct svstatus *st = &sv->st;
	int code, sig;

	switch (m) {
	case M_UP:
		*v = sv->ok && st->state == SV_RUN;
		return 1;
	case M_READY:
		*v = sv->ok && st->state == SV_RUN && (st->flags & SVF_READY);
		return 1;
	case M_FAILED:
		*v = sv->ok && (st->flags & SVF_FAILED);
		return 1;
	case M_STARTS:
		*v = st->starts;
		return sv->ok && st->version >= 1;
	case M_UPTIME:
		*v = st->state == SV_RUN ? svview_elapsed(&st->stamp, now) : 0;
		return sv->ok;
	case M_LASTEXIT:
		switch (svview_lastexit(sv, &code, &sig)) {
		case 1:
			*v = code;
			return 1;
		case 2:
			*v = 128 + sig;
			return 1;
		default:
			return 0;
		}
	case M_RESTARTS:
		*v = s->restarts_hour;
		return sv->ok && s->restarts_hour >= 0;
	case M_ESSENTIAL:
		*v = sv->essential;
		return sv->ok;
	case M_CHECKFAIL:
		*v = st->checkfailures;
		return sv->ok && st->version >= 1;
	case M_CHECKLIMIT:
		*v = sv->checkmax;
		return sv->ok && st->version >= 1;
	case M_CONFERR:
		*v = svpage_conferrs(sv);
		return sv->ok && st->version >= 1;
	default:
		return 0;
	}
}

/* Every metric for every service, Prometheus text format 0.0.4. */
void
svpage_metrics(struct sbuf *b, const struct svpage_svc *s, size_t n,
    const struct timespec *now)
{
	static const struct {
		const char	*name, *type, *help;
	} ms[M_COUNT] = {
		{ "tend_service_up", "gauge",
		    "1 if the service runs, 0 if it is down or finishing." },
		{ "tend_service_ready", "gauge",
		    "1 if the service runs and signalled readiness." },
		{ "tend_service_failed", "gauge",
		    "1 if supervise gave up after max-restarts short runs." },
		{ "tend_service_starts_total", "counter",
		    "Starts of the service since its supervise began." },
		{ "tend_service_uptime_seconds", "gauge",
		    "Seconds since the service started, 0 when not up." },
		{ "tend_service_last_exit_code", "gauge",
		    "Exit code of the last run, 128+signal if killed." },
		{ "tend_service_restarts_last_hour", "gauge",
		    "Starts after an exit in the last hour, from history." },
		{ "tend_service_essential", "gauge",
		    "1 if the service has an essential file." },
		{ "tend_service_check_failures", "gauge",
		    "Liveness checks failed in a row, 0 once one passes." },
		{ "tend_service_check_failures_limit", "gauge",
		    "The check-failures streak that restarts the service." },
		{ "tend_service_config_errors", "gauge",
		    "Config files invalid at the last start (defaults used)." },
	};
	long long v;
	size_t i;
	int m;

	for (m = 0; m < M_COUNT; m++) {
		sbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", ms[m].name,
		    ms[m].help, ms[m].name, ms[m].type);
		for (i = 0; i < n; i++) {
			if (!value(m, &s[i], now, &v))
				continue;
			sbuf_printf(b, "%s{service=\"", ms[m].name);
			label(b, s[i].name);
			sbuf_printf(b, "\"} %lld\n", v);
		}
	}
}

/* The head of a page: title, CSS, and the header bar. */
static void
head(struct sbuf *b, const char *title, const char *sub)
{
	sbuf_puts(b, "<!doctype html>\n<html lang=\"en\"><head>"
	    "<meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,"
	    "initial-scale=1\"><title>");
	sbuf_html(b, title, strlen(title));
	sbuf_puts(b, " \xc2\xb7 tend</title><style>");
	sbuf_puts(b, css);
	sbuf_puts(b, "</style></head>\n<body><header><h1>");
	sbuf_html(b, title, strlen(title));
	if (sub != NULL) {
		sbuf_puts(b, " <small>");
		sbuf_html(b, sub, strlen(sub));
		sbuf_puts(b, "</small>");
	}
	sbuf_puts(b, "</h1>");
}

/* The last exit as the page shows it: "code 1", "signal KILL", "-". */
static void
lastexit(struct sbuf *b, const struct svview *v)
{
	const char *name;
	int code, sig;

	switch (svview_lastexit(v, &code, &sig)) {
	case 1:
		sbuf_printf(b, "code %d", code);
		break;
	case 2:
		if ((name = svconf_signal_name(sig)) != NULL)
			sbuf_printf(b, "signal %s", name);
		else
			sbuf_printf(b, "signal %d", sig);
		break;
	default:
		sbuf_puts(b, "\xe2\x80\x93");
		break;
	}
}

/* A service's name as a path segment of a link: bytes outside the
 * unreserved set percent-encoded. */
static void
href(struct sbuf *b, const char *name)
{
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL)
			sbuf_putc(b, *p);
		else
			sbuf_printf(b, "%%%02X", *p);
	}
}

/* One service's row, and the hidden row of its log lines after it. */
static void
row(struct sbuf *b, const struct svpage_svc *s, const struct timespec *now)
{
	static const char *states[] = { "down", "up", "finish" };
	const struct svview *v = &s->d.main;
	const char *st = v->ok ? states[v->st.state] : "?";
	const char *h = svpage_health(&s->d);
	size_t nl = strlen(s->name);

	sbuf_puts(b, "<tr class=\"svc\" data-name=\"");
	sbuf_html(b, s->name, nl);
	sbuf_puts(b, "\"><td class=\"name\"><a href=\"/service/");
	href(b, s->name);
	sbuf_puts(b, "\">");
	sbuf_html(b, s->name, nl);
	sbuf_printf(b, "</a><span class=\"tag\" data-k=\"ess\">%s</span>"
	    "</td><td data-l=\"State\" data-k=\"state\">"
	    "<span class=\"b %s\">%s</span></td>", v->ok && v->essential ?
	    "essential" : "", st, st);
	sbuf_puts(b, "<td class=\"n\" data-l=\"PID\" data-k=\"pid\">");
	if (v->ok && v->st.pid != 0)
		sbuf_printf(b, "%lu", (unsigned long)v->st.pid);
	else
		sbuf_puts(b, "\xe2\x80\x93");
	sbuf_puts(b, "</td><td class=\"n\" data-l=\"Uptime\" "
	    "data-k=\"uptime\">");
	if (!v->ok)
		sbuf_puts(b, "\xe2\x80\x93");
	else {
		if (v->st.state != SV_RUN)
			sbuf_printf(b, "%s ", st);
		svpage_duration(b, svview_elapsed(&v->st.stamp, now));
	}
	sbuf_printf(b, "</td><td data-l=\"Health\" data-k=\"health\">"
	    "<span class=\"b %s\">%s</span>", h, h);
	notes(b, v);
	sbuf_puts(b, "</td>");
	sbuf_puts(b, "<td class=\"n\" data-l=\"Restarts\" data-k=\"restarts\">");
	if (v->ok && v->st.version >= 1)
		sbuf_printf(b, "%lu", (unsigned long)v->st.shortruns);
	else
		sbuf_puts(b, "\xe2\x80\x93");
	sbuf_puts(b, "</td><td data-l=\"Last exit\" data-k=\"last\">");
	lastexit(b, v);
	sbuf_puts(b, "</td><td data-l=\"Log\"><a class=\"logbtn\" href=\""
	    "/service/");
	href(b, s->name);
	sbuf_puts(b, "\" aria-expanded=\"false\">log</a></td></tr>\n"
	    "<tr class=\"log\" hidden data-name=\"");
	sbuf_html(b, s->name, nl);
	sbuf_printf(b, "\"><td colspan=\"%d\"><pre>", COLS);
	if (s->log != NULL && s->loglen > 0)
		sbuf_html(b, s->log, s->loglen);
	else
		sbuf_puts(b, "(no log lines)");
	sbuf_puts(b, "</pre></td></tr>\n");
}

/* The page of every service under the directory named title. */
void
svpage_index(struct sbuf *b, const char *title, const struct svpage_svc *s,
    size_t n, const struct timespec *now)
{
	size_t i, up = 0, bad = 0, starting = 0, failing = 0;
	const char *h;

	/* Each service counts once: failed (or unsupervised), up, down; of
	 * those up, the ones not ready yet and those failing their check. */
	for (i = 0; i < n; i++) {
		h = svpage_health(&s[i].d);
		if (!s[i].d.main.ok || (s[i].d.main.st.flags & SVF_FAILED))
			bad++;
		else if (s[i].d.main.st.state == SV_RUN)
			up++;
		starting += strcmp(h, "starting") == 0;
		failing += strcmp(h, "failing") == 0;
	}
	head(b, "tend", title);
	sbuf_printf(b, "<span id=\"sum\">%zu services: %zu up", n, up);
	if (starting + failing > 0)
		sbuf_printf(b, " (%zu starting, %zu failing)", starting,
		    failing);
	sbuf_printf(b, ", %zu down", n - up - bad);
	if (bad > 0)
		sbuf_printf(b, ", %zu failed", bad);
	sbuf_puts(b, "</span><span id=\"upd\">live</span></header>\n<main>"
	    "<table><thead><tr><th>Service</th><th>State</th><th>PID</th>"
	    "<th>Uptime</th><th>Health</th><th>Restarts</th><th>Last exit"
	    "</th><th>Log</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++)
		row(b, &s[i], now);
	sbuf_puts(b, "</tbody></table></main>\n<script>");
	sbuf_puts(b, script);
	sbuf_puts(b, "</script></body></html>\n");
}

/* A service page's health box: readiness, essential, the check streak
 * (when it has run a check), the config files found invalid with their
 * values. */
static void
healthbox(struct sbuf *b, const struct svpage_svc *s,
    const struct timespec *now)
{
	const struct svview *v = &s->d.main;
	const struct svstatus *st = &v->st;
	unsigned i;

	sbuf_puts(b, "<h2>Health</h2><pre class=\"box\">");
	if (!v->ok) {
		sbuf_html(b, v->err, strlen(v->err));
		sbuf_puts(b, "</pre>");
		return;
	}
	if (st->state != SV_RUN)
		sbuf_puts(b, "readiness:      not running");
	else if (st->flags & SVF_READY) {
		sbuf_puts(b, "readiness:      ready");
		if (st->version >= 1) {
			sbuf_puts(b, " for ");
			svpage_duration(b, svview_elapsed(&st->readystamp,
			    now));
		}
	} else
		sbuf_puts(b, "readiness:      starting (not ready yet)");
	if (st->version >= 1 && (s->checkout != NULL || st->checkfailures > 0))
		sbuf_printf(b, "\ncheck failures: %u in a row (restart at %lld)",
		    st->checkfailures, (long long)v->checkmax);
	sbuf_printf(b, "\nessential:      %s", v->essential ? "yes" : "no");
	if (svpage_conferrs(v) > 0) {
		sbuf_puts(b, "\nbad config:     ");
		for (i = 0; i < v->conf.nbad; i++) {
			if (i > 0)
				sbuf_puts(b, ", ");
			sbuf_html(b, v->conf.bads[i].file,
			    strlen(v->conf.bads[i].file));
			sbuf_puts(b, " \"");
			sbuf_html(b, v->conf.bads[i].value,
			    strlen(v->conf.bads[i].value));
			sbuf_putc(b, '"');
		}
		sbuf_puts(b, v->conf.nbad == 0 ? "fixed since the start; "
		    "defaults in use until the next start" :
		    " (defaults in use)");
	}
	sbuf_puts(b, "</pre>");
}

/* One service's page: its svstat line, its health and last check output,
 * its history (hist, oldest first, shown newest first) and its last log
 * lines. */
void
svpage_service(struct sbuf *b, const struct svpage_svc *s, const char *hist,
    size_t histlen, const struct timespec *now)
{
	size_t e, st;

	head(b, s->name, NULL);
	sbuf_printf(b, "<span class=\"b %s\">%s</span>",
	    svpage_health(&s->d), svpage_health(&s->d));
	sbuf_puts(b, "<span id=\"upd\"><a href=\"/\">all services</a></span>"
	    "</header>\n<main><h2>Status</h2><pre class=\"box\">");
	{
		struct sbuf line;

		sbuf_init(&line, 8192);
		svview_line(&line, s->name, &s->d, now);
		if (line.err == 0)
			sbuf_html(b, line.p, line.len);
		sbuf_free(&line);
	}
	sbuf_puts(b, "</pre>");
	if (s->restarts_hour >= 0)
		sbuf_printf(b, "<p>Restarts in the last hour: %ld</p>",
		    s->restarts_hour);
	healthbox(b, s, now);
	if (s->checkout != NULL) {
		sbuf_puts(b, "<h2>Last check output</h2><pre class=\"box\">");
		if (s->checklen > 0)
			sbuf_html(b, s->checkout, s->checklen);
		else
			sbuf_puts(b, "(none)");
		sbuf_puts(b, "</pre>");
	}
	sbuf_puts(b, "<h2>History, newest first</h2><pre class=\"box\">");
	if (histlen == 0)
		sbuf_puts(b, "(no history)");
	/* Newest first: the lines of hist from the end. */
	for (e = histlen; e > 0; e = st) {
		for (st = e - 1; st > 0 && hist[st - 1] != '\n'; st--)
			;
		sbuf_html(b, hist + st, e - st);
		if (e - st > 0 && hist[e - 1] != '\n')
			sbuf_putc(b, '\n');
	}
	sbuf_puts(b, "</pre><h2>Log, oldest first</h2><pre class=\"box\">");
	if (s->log != NULL && s->loglen > 0)
		sbuf_html(b, s->log, s->loglen);
	else
		sbuf_puts(b, "(no log lines)");
	sbuf_puts(b, "</pre></main></body></html>\n");
}
