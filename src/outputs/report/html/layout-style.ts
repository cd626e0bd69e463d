/** Styles of the report's opening (failures first, the untested rules and what they need) and of its folded parts. */
export const LAYOUT_CSS = `
.finding { border: 1px solid var(--line); border-left: 6px solid var(--FAILED); border-radius: 8px; padding: 10px 14px; margin: 0 0 14px; }
.finding.f-WARNING { border-left-color: var(--WARNING); }
.finding h3 { margin: 0 0 4px; overflow-wrap: anywhere; }
.finding .case { margin: 8px 0 0; }
.needs { font-size: 12px; }
ul.untested > li { margin: 0 0 6px; }
details.fold { margin: 12px 0 0; }
details.fold > summary { font-weight: 600; }
`;
