/**
 * The widget's dark theme: follows the visitor's system setting (`prefers-color-scheme`). Overrides
 * styles.ts, which it follows in the shadow root's stylesheet. Contrast is WCAG AA (≥ 4.5:1 for text).
 */
export const DARK_CSS = `
@media (prefers-color-scheme:dark){
.root{color:#e2e8f0;color-scheme:dark}
.panel{background:#111827;box-shadow:0 16px 48px rgba(0,0,0,.6)}
.badge{border-color:#111827}
.status{background:#422006;color:#fde68a;border-color:#713f12}
.status[data-state=offline]{background:#450a0a;color:#fecaca;border-color:#7f1d1d}
.scroll{background:#0b1120}
.intro,.who,li[data-author=system] .text{color:#cbd5e1}
.bubble{background:#1e293b;border-color:#334155;color:#e2e8f0}
li[data-author=bot] .bubble{background:#1e1b4b;border-color:#3730a3}
li[data-author=agent] .bubble{background:#052e24;border-color:#065f46;border-left-color:#34d399}
li[data-author=agent] .who{color:#6ee7b7}
li[data-author=user] .bubble{background:var(--accent);color:#fff}
li[data-pending=failed] .bubble{background:#1e293b;color:#e2e8f0;border-color:#f87171}
.tag{background:#064e3b;color:#a7f3d0}
time,.note{color:#94a3b8}
.error{color:#fca5a5}
.error small{color:#fecaca}
.actions button{color:#93c5fd}
.file{background:rgba(255,255,255,.08)}
form{background:#111827;border-top-color:#334155}
textarea{background:#0b1120;color:#e2e8f0;border-color:#64748b}
.icon{color:#cbd5e1}
.icon:hover{background:#1e293b}
.atts img{background:#1e293b}
.choices button{color:#93c5fd;background:#1e293b;border-color:#93c5fd}
.choices button:hover,.choices button:focus-visible{background:#0b1120}
}
`;
