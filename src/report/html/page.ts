/**
 * The page around the sections: inline stylesheet (light and dark), a content-security policy that
 * forbids every network request, and the one script (legend toggles). Nothing is fetched: the file
 * opens the same from an artifact zip, a mail attachment or a laptop offline.
 */
import { esc } from './markup.js';

const CSS = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#57606a;--grid:#e4e7eb;--axis:#8c959f;--panel:#f6f8fa;--border:#d0d7de;
--pass:#1a7f37;--regression:#cf222e;--inconclusive:#9a6700;--info:#57606a}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9da7b3;--grid:#2a313a;--axis:#6e7681;--panel:#161b22;--border:#30363d;
--pass:#3fb950;--regression:#f85149;--inconclusive:#d29922;--info:#9da7b3}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1180px;margin:0 auto;padding:16px 20px 48px}
h1{font-size:1.5rem;margin:.2em 0}h2{font-size:1.2rem;margin:2em 0 .6em;padding-bottom:.3em;border-bottom:1px solid var(--border)}
h3{font-size:1rem;margin:0}
p.sub,p.note,.plot p,small{color:var(--muted)}
nav{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.9rem}nav a{color:var(--muted)}
code,pre{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:var(--panel);padding:10px;overflow:auto;max-height:24em}
.headline{border:1px solid var(--border);border-left:8px solid var(--info);border-radius:6px;padding:10px 16px;background:var(--panel)}
.headline p{margin:.3em 0}.headline .meta{color:var(--muted);font-size:.85rem}
.headline-pass{border-left-color:var(--pass)}.headline-regression{border-left-color:var(--regression)}.headline-inconclusive{border-left-color:var(--inconclusive)}
.badge{font-size:1.4rem;font-weight:700}
.headline-pass .badge{color:var(--pass)}.headline-regression .badge{color:var(--regression)}.headline-inconclusive .badge{color:var(--inconclusive)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:.85rem;margin:.5em 0;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);padding:4px 0;caption-side:top}
th,td{border-bottom:1px solid var(--border);padding:4px 8px;text-align:right;vertical-align:top}
th[scope=row],td.reason,th[scope=col]:first-child{text-align:left}td.reason{min-width:14em}.checks .pair{min-width:10em;overflow-wrap:anywhere}.checks th:nth-child(-n+3),.checks td:nth-child(-n+3),.checks th:last-child{text-align:left}.nw{white-space:nowrap}
.v{font-weight:600;min-width:7em}.v-pass,.v-improvement{color:var(--pass)}.v-regression{color:var(--regression)}.v-inconclusive{color:var(--inconclusive)}.v-info{color:var(--info)}
details.data{margin:.4em 0}details.data summary{cursor:pointer;color:var(--muted);font-size:.85rem}
.grid{display:grid;grid-template-columns:1fr;gap:8px 24px}
@media (min-width:960px){.grid{grid-template-columns:1fr 1fr}.grid>figure:only-child{grid-column:1/-1;max-width:820px}}
figure.plot{margin:1em 0 1.4em}figure.plot p{margin:.2em 0 .4em;font-size:.85rem}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:2px 6px;margin:0 0 4px;padding:0}
.legend button{font:inherit;font-size:.85rem;color:var(--fg);background:none;border:1px solid transparent;border-radius:4px;padding:1px 6px;cursor:pointer;display:flex;align-items:center;gap:6px}
.legend button:hover{border-color:var(--border)}.legend button[aria-pressed=false]{opacity:.45;text-decoration:line-through}
.legend li.key{font-size:.85rem;color:var(--muted);display:flex;align-items:center;gap:6px;padding:1px 6px}.legend li.key .swatch{--c:var(--muted)}
.swatch{display:inline-block;width:22px;height:0;border-top:3px solid var(--c)}.swatch.dashed{border-top-style:dashed}
.swatch.dot{width:10px;height:10px;border:0;border-radius:50%;background:var(--c)}
.canvas{overflow-x:auto}
.canvas svg{display:block;width:100%;min-width:460px;height:auto;font:14px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
svg text{fill:var(--muted)}svg .axis-label{fill:var(--fg);font-weight:600}
svg .grid line{stroke:var(--grid);stroke-width:1}svg .frame{fill:none;stroke:var(--axis)}
svg .band{fill:var(--c);opacity:.1}svg .band:hover{opacity:.22}
svg .series path{fill:none;stroke:var(--c);stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
svg .series path.area{fill:var(--c);stroke:none;opacity:.2}
svg .series circle{fill:var(--c);stroke:var(--bg);stroke-width:1}
svg .series.thin path{stroke-width:1.2;opacity:.5}svg .series.off{display:none}
ul.notes li{margin:.3em 0}figure.plot p.axes{display:none;color:var(--muted)}
@media (max-width:600px){main{padding:10px 12px 32px}body{font-size:14px}
.checks,.checks tbody,.checks caption{display:block;width:100%}.checks thead{display:none}.checks tr{display:block;border-bottom:1px solid var(--border);padding:6px 0}
.checks td,.checks th,.checks th[scope=row],.checks td.reason{display:grid;grid-template-columns:8.5em 1fr;gap:8px;border:0;padding:1px 0;min-width:0;text-align:left!important}
.checks td::before,.checks th::before{content:attr(data-label);color:var(--muted);font-weight:400}.canvas svg{min-width:0;font-size:19px}.wide .canvas svg{min-width:0;font-size:34px}.wide svg .axis-label{display:none}figure.plot.wide p.axes{display:block}
table{font-size:.8rem}th,td{padding:3px 5px}}
`;

// Legend buttons hide and show their series; the page is complete without this.
const SCRIPT = `document.addEventListener('click',function(e){var b=e.target.closest&&e.target.closest('button[data-toggle]');if(!b)return;
var on=b.getAttribute('aria-pressed')!=='true';b.setAttribute('aria-pressed',String(on));
b.closest('figure').querySelectorAll('[data-group]').forEach(function(g){if(g.getAttribute('data-group')===b.getAttribute('data-toggle'))g.classList.toggle('off',!on);});});`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="meshgate">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
