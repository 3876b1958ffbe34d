"""The app's CSS, shown once in an HTML widget (no stylesheet is fetched).

Layout: from :data:`SIDE_BY_SIDE_PX` wide, the form and the results sit side
by side, each scrolling on its own so that the results stay in view; below,
they are stacked (form first, results under it) and a bar keeps the total in
view at the top of the window. Nothing has a width that can push past the
window: rows are grids whose factor column takes what is left (its full label
as tooltip), tables and charts shrink to their pane.
"""

SIDE_BY_SIDE_PX = 1700
# The sticky total bar, stacked layout: Voilà's scroller has a 10 px top padding
# above where the bar sticks (BAR_GAP_PX, painted white); the bar is 38 px high
# at 14 px text, so what is scrolled into view stops BAR_ROOM_PX from the top
# (gap + bar + 8 px of air).
BAR_GAP_PX = 10
BAR_ROOM_PX = 56

CSS = """
<style>
.cc-app { font-size: 14px; max-width: 100%; box-sizing: border-box; }
.cc-app * { box-sizing: border-box; }
.cc-app h4 { margin: 10px 0 4px; font-size: 14px; }
.cc-heading h2 { margin: 0; font-size: 22px; }
.cc-heading .cc-subtitle, .cc-note, .cc-ref, .cc-edition { color: #5b6770; font-size: 12px; }
.cc-bad { color: #b3261e; font-size: 12.5px; }
.cc-hint { color: #8a5a00; font-size: 12.5px; }
.cc-message { margin: 0 0 4px 0; padding-left: 8px; }
.cc-total-box { font-size: 22px; margin: 4px 0 8px; }
.cc-total { font-weight: 700; }
.cc-total-t { color: #5b6770; font-size: 15px; }
.cc-table { border-collapse: collapse; margin: 2px 0 6px; font-size: 13px; max-width: 100%; }
.cc-table th, .cc-table td { border-bottom: 1px solid #d7dce0; padding: 2px 8px; text-align: left;
  overflow-wrap: anywhere; }
/* the dashboard's text columns (type, stage, categories) read left to right */
.cc-dashboard td:nth-child(2), .cc-dashboard td:nth-child(3), .cc-dashboard td:nth-child(6),
.cc-dashboard-pairs td:nth-child(2) { text-align: left; white-space: normal; }
/* headers break between words only ("Forecast", not "Forecas-t") */
.cc-table th { overflow-wrap: normal; word-break: normal; }
.cc-table td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
.cc-table tr.cc-level-0 td { font-weight: 600; }
.cc-table tr.cc-level-1 td:first-child { padding-left: 22px; font-weight: 400; }
.cc-biogenic { color: #5b6770; font-size: 13px; font-weight: 400; white-space: nowrap; }
.cc-total-bar .cc-biogenic { font-size: 12px; }
.cc-app p.cc-gwp, .cc-app p.cc-gwp-mixed, .cc-app p.cc-contrails { margin: 2px 0 4px; }
.cc-app ul { margin: 2px 0 6px; padding-left: 20px; }
.cc-help summary { cursor: help; }
.cc-help { font-size: 13px; overflow-wrap: anywhere; }
.cc-help[open] { background: #f4f6f7; padding: 2px 4px; border-radius: 3px; }
.cc-line-kg { color: #2f6f5e; font-size: 12.5px; text-align: right; white-space: nowrap; }
.cc-app .widget-html-content { white-space: normal; }
.cc-app .cc-inputs { grid-auto-rows: auto; }
.cc-app .cc-inputs > * { margin: 1px 0 !important; }
.cc-app .cc-inputs select { text-overflow: ellipsis; }
/* The upload button writes "(number of files)" after its description: its
   label is its tooltip instead. */
.cc-app .cc-upload { font-size: 0 !important; }
.cc-app .cc-upload::before { content: attr(title); font-size: 13px; }
.cc-status { min-height: 1.2em; overflow-wrap: anywhere; }
.cc-download { margin-right: 14px; color: #0b62a4 !important; text-decoration: underline; }
.cc-mc-chart svg, .cc-results svg, .cc-cmp svg { max-width: 100%; height: auto; }
.cc-app .cc-results > .widget-tab, .cc-app .cc-pane .widget-tab { margin-left: 0;
  margin-right: 0; width: 100% !important; }
.cc-plan-svgs { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: flex-start; }
.cc-plan-svgs > div { max-width: 100%; }
.cc-plan-chart svg { max-width: 100%; height: auto; }
.cc-plan-saving { text-align: right; font-variant-numeric: tabular-nums; }
.cc-unsaved { color: #8a5a00; font-size: 12px; }
.cc-welcome { max-width: 900px; padding: 8px 0; }
.cc-welcome h3 { margin: 6px 0 10px; }
.cc-draft { background: #fff6e0; border: 1px solid #e8c774; border-radius: 4px; padding: 8px;
  margin-bottom: 12px; }
/* Stacked (narrow windows): form, then results; the total stays in view. */
.cc-app .cc-main { display: flex; flex-direction: column; width: 100%; gap: 12px; }
.cc-app .cc-main > .cc-pane { width: 100%; min-width: 0; flex: 0 0 auto; }
.cc-app .cc-pane > *, .cc-app .cc-pane .widget-vbox > * { flex-shrink: 0; max-width: 100%; }
/* A sticky bar needs every box between it and the page's scroller to let it out. */
.jp-OutputArea:has(.cc-app), .jp-OutputArea-child:has(.cc-app),
.jp-OutputArea-output:has(.cc-app), .cc-app, .cc-app > .cc-work { overflow: visible !important; }
.cc-total-bar { position: sticky; top: 0; z-index: 5; background: #ffffff;
  border-bottom: 1px solid #d7dce0; padding: 2px 0;
  box-shadow: 0 -BAR_GAPpx 0 0 #ffffff; }   /* covers the scroller's top padding too */
/* What the browser scrolls to (an opened section, a focused field, a panel
   scrolled into view) stops below the bar, never under it. Voilà's scroller is
   #rendered_cells (top padding 10 px); the page itself elsewhere. */
#rendered_cells:has(.cc-total-bar), html:has(.cc-total-bar) { scroll-padding-top: BAR_ROOMpx; }
.cc-total-bar .cc-total-box { font-size: 16px; margin: 2px 0; }
.cc-total-bar .cc-total-t { font-size: 13px; }
@media (min-width: SIDE_BY_SIDEpx) {
  .cc-total-bar { display: none !important; }
  #rendered_cells:has(.cc-total-bar), html:has(.cc-total-bar) { scroll-padding-top: 0; }
  .cc-app .cc-main { flex-direction: row; align-items: flex-start; gap: 16px; }
  .cc-app .cc-main > .cc-form-pane { flex: 1 1 0; }
  .cc-app .cc-main > .cc-results-pane { flex: 0 0 clamp(440px, 28%, 600px);
    padding-right: 8px; }
  .cc-app .cc-main > .cc-pane { height: calc(100vh - 24px); overflow-y: auto; }
}
</style>
""".replace("SIDE_BY_SIDE", str(SIDE_BY_SIDE_PX)).replace("BAR_GAP", str(BAR_GAP_PX)).replace(
    "BAR_ROOM", str(BAR_ROOM_PX))
