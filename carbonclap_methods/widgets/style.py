"""The app's CSS, shown once in an HTML widget (no stylesheet is fetched)."""

CSS = """
<style>
.cc-app { font-size: 14px; }
.cc-app h4 { margin: 10px 0 4px; font-size: 14px; }
.cc-heading h2 { margin: 0; font-size: 22px; }
.cc-heading .cc-subtitle, .cc-note, .cc-ref, .cc-edition { color: #5b6770; font-size: 12px; }
.cc-bad { color: #b3261e; font-size: 12.5px; }
.cc-message { margin: 0 0 4px 214px; }
.cc-total-box { font-size: 22px; margin: 4px 0 8px; }
.cc-total { font-weight: 700; }
.cc-total-t { color: #5b6770; font-size: 15px; }
.cc-table { border-collapse: collapse; margin: 2px 0 6px; font-size: 13px; }
.cc-table th, .cc-table td { border-bottom: 1px solid #d7dce0; padding: 2px 8px; text-align: left; }
.cc-table td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
.cc-app ul { margin: 2px 0 6px; padding-left: 20px; }
.cc-help summary { cursor: help; }
.cc-help { font-size: 13px; }
.cc-help[open] { background: #f4f6f7; padding: 2px 4px; border-radius: 3px; }
.cc-line-kg { color: #2f6f5e; font-size: 12.5px; text-align: right; }
/* Form and results scroll side by side: the results stay in view while filling. */
.cc-app .cc-pane { height: calc(100vh - 24px); overflow-y: auto; overflow-x: hidden; }
.cc-app .cc-pane > *, .cc-app .cc-pane .widget-vbox > * { flex-shrink: 0; }
.cc-status { min-height: 1.2em; }
.cc-download { margin-right: 14px; }
.cc-mc-chart svg { max-width: 100%; height: auto; }
</style>
"""
