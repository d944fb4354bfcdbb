/// The page's CSS: system fonts only, charts scaled to the page width, colours kept in print.
extension MapHTML {
  static let style = """
    :root { --fg: #1d232a; --muted: #5b6673; --line: #dde2e7; --accent: #1f3b57; }
    * { box-sizing: border-box; }
    html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    body { margin: 0; background: #fff; color: var(--fg);
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1140px; margin: 0 auto; padding: 28px 30px 36px; }
    h1 { font-size: 26px; line-height: 1.2; margin: 0 0 6px; font-weight: 650; }
    h1 .on { color: var(--muted); font-weight: 400; }
    h3 { font-size: 14.5px; margin: 16px 0 2px; font-weight: 600; }
    h2 { font-size: 17px; margin: 0 0 4px; padding-bottom: 4px; border-bottom: 2px solid var(--fg); }
    .meta { margin: 2px 0; color: var(--muted); }
    .meta b { color: var(--fg); font-weight: 600; }
    .figures { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin: 18px 0 4px; }
    .fig { border: 1px solid var(--line); border-top: 4px solid var(--accent); border-radius: 6px; padding: 8px 14px 10px; }
    .fig .k { color: var(--muted); font-size: 11.5px; text-transform: uppercase; letter-spacing: .06em; font-weight: 600; }
    .fig .v { font-size: 30px; font-weight: 650; line-height: 1.15; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .fig .u { font-size: 16px; font-weight: 500; color: var(--muted); margin-left: 4px; }
    .fig .s { color: var(--muted); font-size: 12px; }
    section { margin-top: 28px; break-inside: avoid; page-break-inside: avoid; }
    figure { margin: 8px 0 0; }
    svg { display: block; width: 100%; height: auto; font-family: inherit; }
    svg text { font-size: 11px; fill: var(--fg); }
    svg .tick { fill: var(--muted); font-size: 10.5px; font-variant-numeric: tabular-nums; }
    svg .axis { fill: var(--muted); font-size: 11.5px; font-weight: 600; }
    svg .lane { font-size: 12px; }
    svg .legend { font-size: 12px; }
    svg .value { font-size: 11px; font-variant-numeric: tabular-nums; }
    svg .strong { font-weight: 700; }
    svg .note { fill: #39424c; font-size: 10px; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
    svg .inbar { fill: #fff; font-size: 11px; font-weight: 600; }
    svg .grid { stroke: #e4e8ec; stroke-width: 1; }
    svg .axisline { stroke: #8c96a0; stroke-width: 1; }
    svg .sep { stroke: #fff; stroke-width: .6; }
    svg .cut { stroke: #fff; stroke-width: 2.5; fill: none; }
    svg .better { fill: #2e7d32; font-weight: 700; }
    svg .worse { fill: #c62828; font-weight: 700; }
    svg .same { fill: var(--muted); font-weight: 700; }
    svg rect:hover { opacity: .75; }
    .note { color: var(--muted); font-size: 12.5px; margin: 4px 0 6px; }
    table.data { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; margin-top: 6px; }
    table.data th { text-align: left; font-weight: 600; color: var(--muted); border-bottom: 1.5px solid var(--fg); padding: 4px 8px; }
    table.data td { padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
    table.data th.num, table.data td.num { text-align: right; white-space: nowrap; }
    table.data tfoot td { font-weight: 600; border-top: 1.5px solid var(--fg); border-bottom: none; }
    table.sources td:nth-child(4) { font-size: 12.5px; }
    table.sources td:nth-child(1), table.sources td:nth-child(2) { white-space: nowrap; }
    table.sources tr.assumed td { background: #fff7e0; }
    .badge { display: inline-block; background: #f0b429; color: #3d2c00; font-size: 10px; font-weight: 700; padding: 0 6px;
      border-radius: 8px; text-transform: uppercase; letter-spacing: .04em; line-height: 16px; }
    .sw { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
    .occ { display: inline-block; width: 56px; height: 8px; background: #e9edf1; margin-right: 8px; border-radius: 2px;
      overflow: hidden; vertical-align: 0; }
    .occ span { display: block; height: 100%; }
    .infeasible { border: 2px solid #c62828; background: #fdecea; border-radius: 8px; padding: 14px 20px; }
    .infeasible h2 { color: #b71c1c; border-color: #c62828; font-size: 20px; }
    .infeasible li { margin: 4px 0; font-size: 15px; }
    ul.failed li, ul.notes li { margin: 2px 0; }
    footer { margin-top: 30px; padding-top: 8px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12px; }
    @page { size: A4 landscape; margin: 12mm; }
    @media print {
      body { font-size: 10pt; }
      main { max-width: none; padding: 0; }
      .fig .v { font-size: 22pt; }
      svg rect:hover { opacity: 1; }
    }
    """
}
