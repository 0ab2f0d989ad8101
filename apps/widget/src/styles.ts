/** Everything lives in a shadow root: the host page's CSS can't reach in, ours can't leak out. */
export const CSS = `
:host{all:initial}
[hidden]{display:none!important}
*{box-sizing:border-box}
.root{--accent:#4338ca;--accent-ink:#fff;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#0f172a}
button{font:inherit;color:inherit;cursor:pointer;border:0;background:none;padding:0}
button:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.vh{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;background:var(--accent);color:var(--accent-ink);display:grid;place-items:center;box-shadow:0 8px 24px rgba(15,23,42,.28);transition:transform .15s ease}
.launcher:hover{transform:scale(1.06)}
.launcher svg{width:28px;height:28px}
.badge{position:absolute;top:-2px;right:-2px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b91c1c;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;border:2px solid #fff}
.panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:380px;height:min(640px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 16px 48px rgba(15,23,42,.3);animation:rise .18s ease-out}
@keyframes rise{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}
.head{display:flex;align-items:center;gap:12px;padding:14px 12px 14px 18px;background:var(--accent);color:var(--accent-ink)}
.head .titles{flex:1;min-width:0}
h2{margin:0;font-size:17px;font-weight:650;line-height:1.25}
.head p{margin:2px 0 0;font-size:13px;opacity:.92}
.close{width:40px;height:40px;border-radius:50%;display:grid;place-items:center;color:inherit}
.close:hover{background:rgba(255,255,255,.16)}
.close svg{width:22px;height:22px}
.status{padding:6px 14px;font-size:13px;background:#fef3c7;color:#78350f;border-bottom:1px solid #fde68a}
.status[data-state=offline]{background:#fee2e2;color:#7f1d1d;border-color:#fecaca}
.status:empty{padding:0;border:0}
.scroll{flex:1;overflow-y:auto;padding:16px 14px 8px;background:#f8fafc;overscroll-behavior:contain}
.intro{margin:0 auto 14px;max-width:300px;text-align:center;font-size:14px;color:#475569}
ol{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:10px}
li{display:flex;flex-direction:column;align-items:flex-start;max-width:100%}
.who{font-size:12px;font-weight:600;color:#475569;margin:0 0 3px 4px;display:flex;gap:6px;align-items:center}
.tag{font-size:11px;font-weight:600;padding:0 6px;border-radius:8px;background:#d1fae5;color:#065f46}
.bubble{max-width:85%;padding:9px 13px;border-radius:16px;border-bottom-left-radius:4px;background:#fff;border:1px solid #e2e8f0;overflow-wrap:anywhere}
.text{margin:0;white-space:pre-wrap}
.text:empty{display:none}
time,.note{font-size:11px;color:#64748b;margin:3px 6px 0}
li[data-author=bot] .bubble{background:#eef2ff;border-color:#c7d2fe}
li[data-author=agent] .bubble{background:#ecfdf5;border-color:#a7f3d0;border-left:4px solid #059669}
li[data-author=agent] .who{color:#065f46}
li[data-author=user]{align-items:flex-end}
li[data-author=user] .bubble{background:var(--accent);color:var(--accent-ink);border-color:transparent;border-radius:16px;border-bottom-right-radius:4px}
li[data-author=user] .bubble a{color:inherit}
li[data-pending=sending] .bubble{opacity:.65}
li[data-pending=failed] .bubble{background:#fff;color:#0f172a;border:1px dashed #b91c1c}
li[data-author=system]{align-items:center}
li[data-author=system] .text{font-size:13px;color:#475569;font-style:italic;text-align:center;padding:2px 10px}
.error{margin:4px 6px 0;font-size:13px;color:#b91c1c;text-align:right;max-width:85%}
.error small{display:block;color:#7f1d1d}
.actions{display:flex;gap:10px;justify-content:flex-end;margin-top:3px}
.choices{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.choices button{font-size:14px;font-weight:600;color:#1e40af;background:#fff;border:1px solid #1e40af;border-radius:16px;padding:6px 12px;min-height:32px;cursor:pointer}
.choices button:hover,.choices button:focus-visible{background:#eff6ff}
.actions button{font-size:13px;font-weight:600;text-decoration:underline;color:#1e40af;padding:4px}
.atts{display:flex;flex-direction:column;gap:6px;margin-top:6px}
.atts:first-child{margin-top:0}
.atts img{display:block;max-width:100%;max-height:220px;border-radius:10px;background:#e2e8f0}
.atts audio{width:240px;max-width:100%}
.atts video{max-width:100%;max-height:240px;border-radius:10px;background:#000}
.file{display:flex;align-items:center;gap:8px;text-decoration:none;color:inherit;padding:6px 8px;border-radius:10px;background:rgba(15,23,42,.06)}
li[data-author=user] .file{background:rgba(255,255,255,.16)}
.file svg{width:18px;height:18px;flex:none}
.file span{text-decoration:underline;overflow-wrap:anywhere}
.file small{opacity:.85;white-space:nowrap}
form{display:flex;align-items:flex-end;gap:6px;padding:10px;border-top:1px solid #e2e8f0;background:#fff}
textarea{flex:1;resize:none;min-height:42px;max-height:120px;padding:10px 12px;border:1px solid #94a3b8;border-radius:21px;font:inherit;color:#0f172a;background:#fff;line-height:1.35}
textarea:focus{border-color:var(--accent);outline:2px solid var(--accent);outline-offset:-1px}
.icon{width:42px;height:42px;border-radius:50%;display:grid;place-items:center;flex:none;color:#334155}
.icon:hover{background:#f1f5f9}
.icon svg{width:22px;height:22px}
.send{background:var(--accent);color:var(--accent-ink)}
.send:hover{background:var(--accent);filter:brightness(1.1)}
@media (max-width:520px){
.panel{inset:0;width:100%;height:100%;height:100dvh;border-radius:0}
textarea{font-size:16px}
.launcher{right:16px;bottom:16px}
}
@media (prefers-reduced-motion:reduce){.panel{animation:none}.launcher{transition:none}}
`;
