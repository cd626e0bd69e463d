/** The report's only stylesheet, inlined: system fonts, no external resource. */
export const CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa;
  --PASSED: #1a7f37; --WARNING: #b35900; --WAIVED: #8250df; --ATTESTED: #0969da; --FAILED: #cf222e; --SKIPPED: #6e7781; --NOT_APPLICABLE: #8c959f; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1440px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 8px; }
h4 { font-size: 14px; margin: 0 0 6px; }
h5 { font-size: 12px; margin: 8px 0 2px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
pre { margin: 0; padding: 8px 10px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; word-break: break-all; max-height: 420px; overflow: auto; }
a { color: #0969da; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.sub { color: var(--muted); margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; font-size: 12px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.zero { color: #c0c6cc; }
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 24px; }
@media (max-width: 900px) { .grid { grid-template-columns: minmax(0, 1fr); } }
dl.kv { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 3px 14px; margin: 0; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; min-width: 64px; padding: 1px 7px; border-radius: 10px; color: #fff; font-size: 11px; font-weight: 600; text-align: center; letter-spacing: .02em; white-space: nowrap; }
.badge.sm { min-width: 0; padding: 1px 5px; font-size: 10px; }
.s-PASSED { background: var(--PASSED); } .s-WARNING { background: var(--WARNING); } .s-WAIVED { background: var(--WAIVED); } .s-ATTESTED { background: var(--ATTESTED); }
.s-FAILED { background: var(--FAILED); } .s-SKIPPED { background: var(--SKIPPED); } .s-NOT_APPLICABLE { background: var(--NOT_APPLICABLE); }
.verdicts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 16px; }
@media (max-width: 900px) { .verdicts { grid-template-columns: minmax(0, 1fr); } }
.card { border: 1px solid var(--line); border-left-width: 6px; border-radius: 8px; padding: 12px 16px; }
.card.ok { border-left-color: var(--PASSED); } .card.bad { border-left-color: var(--FAILED); }
.card .big { font-size: 24px; font-weight: 700; margin: 0 0 4px; }
.card.ok .big { color: var(--PASSED); } .card.bad .big { color: var(--FAILED); }
.card ul { margin: 6px 0 0; padding-left: 20px; }
.alert { border: 1px solid var(--FAILED); background: #ffebe9; border-radius: 8px; padding: 10px 14px; margin: 12px 0; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; padding: 10px 12px; background: var(--soft); border: 1px solid var(--line); border-radius: 8px; margin: 0 0 10px; position: sticky; top: 0; z-index: 2; }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
.filters legend { float: left; font-weight: 600; margin-right: 6px; }
.filters label { white-space: nowrap; }
.filters button { font: inherit; font-size: 12px; padding: 2px 8px; }
.grid.sum { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
@media (max-width: 900px) { .grid.sum { grid-template-columns: minmax(0, 1fr); } }
table.counts th, table.counts td { padding: 4px 6px; }
.nowrap { white-space: nowrap; }
#rules { table-layout: fixed; }
#rules col.c-status { width: 96px; } #rules col.c-id { width: 124px; } #rules col.c-level { width: 70px; }
#rules col.c-eps { width: 220px; } #rules col.c-src { width: 300px; } #rules col.c-checks { width: 110px; }
#rules td.id { white-space: nowrap; font-weight: 600; }
#rules td.eps, #rules td.src { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
#rules td.title { overflow-wrap: anywhere; }
#rules tr.main.prob td { border-bottom: 0; }
#rules tr.main.s-row-FAILED td:first-child { box-shadow: inset 3px 0 var(--FAILED); }
#rules tr.detail > td { padding-top: 0; }
.reason { font-size: 12px; color: var(--muted); }
details > summary { cursor: pointer; color: #0969da; }
details[open] > summary { margin-bottom: 8px; }
.case { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 0 0 10px; background: #fff; }
.case dl.kv { margin-bottom: 6px; }
.ev { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 10px; }
@media (max-width: 900px) { .ev { grid-template-columns: minmax(0, 1fr); } }
.waiver { border: 1px solid var(--WAIVED); border-radius: 8px; padding: 6px 10px; margin-bottom: 10px; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }
.chip { white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; padding: 1px 6px; border: 1px solid var(--line); border-radius: 10px; text-decoration: none; color: var(--fg); background: var(--soft); }
.chip.must { border-color: var(--FAILED); }
.charts { display: flex; flex-wrap: wrap; gap: 18px 28px; }
svg.chart { max-width: 100%; height: auto; }
svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--fg); }
svg.chart .lbl { font-size: 12px; } svg.chart .num { font-size: 11px; fill: var(--muted); }
svg.chart .legend { font-size: 11px; } svg.chart .ttl { font-size: 13px; font-weight: 600; }
svg.chart .sub { font-size: 11px; fill: var(--muted); } svg.chart .tick { font-size: 9px; fill: var(--muted); }
svg.chart .axis { stroke: var(--line); } svg.chart .bar { fill: #0969da; }
svg.chart .pmark { fill: #fff8c5; } svg.chart .plbl { font-size: 9px; font-weight: 600; fill: #7d4e00; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
@media print { .filters { display: none; } pre { max-height: none; } }
`;
