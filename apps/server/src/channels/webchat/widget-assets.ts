import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

/** apps/widget/dist, where `pnpm --filter @desk/widget build` writes widget.js. */
export function defaultWidgetDistDir(): string {
  return fileURLToPath(new URL('../../../../widget/dist', import.meta.url));
}

type DemoLang = 'pt-BR' | 'es' | 'en';

/**
 * GET /widget.js: the embeddable chat widget, loadable from any origin and always revalidated.
 * GET /demo: a sample website (the fictional Acme Telecom) with the widget on it; ?lang=pt-BR|es|en.
 */
export function widgetAssetRoutes(widgetDistDir: string = defaultWidgetDistDir()) {
  const app = new Hono();
  const widgetFile = join(widgetDistDir, 'widget.js');

  app.get('/widget.js', async (c) => {
    const info = await stat(widgetFile).catch(() => null);
    if (!info?.isFile()) {
      return c.text('The chat widget is not built: run `npm start` (or `pnpm --filter @desk/widget build`).', 503, {
        'Cache-Control': 'no-store',
        'Access-Control-Allow-Origin': '*',
      });
    }
    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers = {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      ETag: etag,
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    return c.body(await readFile(widgetFile, 'utf8'), 200, headers);
  });

  // The demo page's own script is a file: its CSP allows no inline script.
  app.get('/demo.js', (c) => c.body(DEMO_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }));

  app.get('/demo', (c) => {
    const lang = pickLang(c.req.query('lang'), c.req.header('accept-language'));
    return c.html(demoPage(lang), 200, { 'Cache-Control': 'no-cache' });
  });

  return app;
}

/** "Start over as a new visitor": forgets the widget's visitor id and token. */
const DEMO_SCRIPT = `document.getElementById('reset-visitor').addEventListener('click', function () {
  try { localStorage.removeItem('desk.visitorId'); localStorage.removeItem('desk.visitorToken'); } catch (e) {}
  location.reload();
});
`;

function pickLang(param: string | undefined, acceptLanguage: string | undefined): DemoLang {
  const tags = [param ?? '', ...(acceptLanguage ?? '').split(',').map((part) => part.split(';')[0] ?? '')];
  for (const tag of tags) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (primary === 'pt') return 'pt-BR';
    if (primary === 'es') return 'es';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

interface Plan {
  name: string;
  price: string;
  items: string[];
  featured?: boolean;
}

interface DemoCopy {
  title: string;
  nav: [string, string, string];
  heroTitle: string;
  heroText: string;
  cta: string;
  chatHint: string;
  plansTitle: string;
  perMonth: string;
  popular: string;
  choose: string;
  plans: Plan[];
  helpTitle: string;
  helpText: string;
  reset: string;
  footer: string;
  language: string;
}

const COPY: Record<DemoLang, DemoCopy> = {
  en: {
    title: 'Acme Telecom — fibre, mobile and TV',
    nav: ['Plans', 'Coverage', 'Help'],
    heroTitle: 'Fast fibre. Friendly help.',
    heroText:
      'Internet, mobile and TV for your home and business. Questions? Our assistant answers any time, and a person steps in when you need one.',
    cta: 'See plans',
    chatHint: 'Questions? Use the chat button in the corner.',
    plansTitle: 'Plans for every home',
    perMonth: '/month',
    popular: 'Most popular',
    choose: 'Choose',
    plans: [
      { name: 'Fibre 300', price: '$29', items: ['300 Mbps download', 'Wi-Fi 6 router included', 'No installation fee'] },
      { name: 'Fibre 1 Giga', price: '$49', items: ['1 Gbps download', 'Mesh Wi-Fi for two floors', 'Priority support'], featured: true },
      { name: 'Mobile Unlimited', price: '$19', items: ['Unlimited calls and texts', '40 GB of 5G data', 'eSIM ready'] },
    ],
    helpTitle: 'Need help?',
    helpText:
      'Billing, installation, outages: just ask in the chat. Our assistant is there 24/7 and our team answers Monday to Saturday, 8 am to 8 pm.',
    reset: 'Start over as a new visitor',
    footer: '© 2026 Acme Telecom, a fictional company. This page shows the Desk web chat widget.',
    language: 'Language',
  },
  'pt-BR': {
    title: 'Acme Telecom — fibra, celular e TV',
    nav: ['Planos', 'Cobertura', 'Ajuda'],
    heroTitle: 'Fibra rápida. Atendimento de verdade.',
    heroText:
      'Internet, celular e TV para sua casa e sua empresa. Dúvidas? Nosso assistente responde a qualquer hora, e uma pessoa assume quando você precisar.',
    cta: 'Ver planos',
    chatHint: 'Dúvidas? Use o botão de chat no canto da tela.',
    plansTitle: 'Planos para cada casa',
    perMonth: '/mês',
    popular: 'Mais vendido',
    choose: 'Escolher',
    plans: [
      { name: 'Fibra 300', price: 'R$ 99', items: ['300 Mbps de download', 'Roteador Wi-Fi 6 incluso', 'Sem taxa de instalação'] },
      { name: 'Fibra 1 Giga', price: 'R$ 149', items: ['1 Gbps de download', 'Wi-Fi mesh para dois andares', 'Suporte prioritário'], featured: true },
      { name: 'Celular Ilimitado', price: 'R$ 59', items: ['Ligações e SMS ilimitados', '40 GB de internet 5G', 'Pronto para eSIM'] },
    ],
    helpTitle: 'Precisa de ajuda?',
    helpText:
      'Fatura, instalação, quedas de sinal: é só perguntar no chat. Nosso assistente atende 24 horas, e nossa equipe responde de segunda a sábado, das 8h às 20h.',
    reset: 'Recomeçar como um novo visitante',
    footer: '© 2026 Acme Telecom, uma empresa fictícia. Esta página mostra o widget de chat do Desk.',
    language: 'Idioma',
  },
  es: {
    title: 'Acme Telecom — fibra, móvil y TV',
    nav: ['Planes', 'Cobertura', 'Ayuda'],
    heroTitle: 'Fibra rápida. Atención cercana.',
    heroText:
      'Internet, móvil y TV para tu casa y tu empresa. ¿Dudas? Nuestro asistente responde a cualquier hora y una persona te atiende cuando lo necesitas.',
    cta: 'Ver planes',
    chatHint: '¿Dudas? Usa el botón de chat en la esquina.',
    plansTitle: 'Planes para cada hogar',
    perMonth: '/mes',
    popular: 'El más elegido',
    choose: 'Elegir',
    plans: [
      { name: 'Fibra 300', price: '29 €', items: ['300 Mbps de bajada', 'Router Wi-Fi 6 incluido', 'Sin coste de instalación'] },
      { name: 'Fibra 1 Giga', price: '49 €', items: ['1 Gbps de bajada', 'Wi-Fi mesh para dos plantas', 'Soporte prioritario'], featured: true },
      { name: 'Móvil Ilimitado', price: '19 €', items: ['Llamadas y SMS ilimitados', '40 GB de datos 5G', 'Listo para eSIM'] },
    ],
    helpTitle: '¿Necesitas ayuda?',
    helpText:
      'Facturas, instalación, cortes de servicio: pregunta en el chat. Nuestro asistente está 24/7 y nuestro equipo responde de lunes a sábado, de 8 a 20 h.',
    reset: 'Empezar de nuevo como otro visitante',
    footer: '© 2026 Acme Telecom, una empresa ficticia. Esta página muestra el widget de chat de Desk.',
    language: 'Idioma',
  },
};

const LANG_NAMES: Record<DemoLang, string> = { en: 'English', 'pt-BR': 'Português', es: 'Español' };

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function demoPage(lang: DemoLang): string {
  const t = COPY[lang];
  const plans = t.plans
    .map(
      (plan) => `
      <article class="plan${plan.featured ? ' featured' : ''}">
        ${plan.featured ? `<p class="ribbon">${esc(t.popular)}</p>` : ''}
        <h3>${esc(plan.name)}</h3>
        <p class="price">${esc(plan.price)}<span>${esc(t.perMonth)}</span></p>
        <ul>${plan.items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>
        <a class="button${plan.featured ? '' : ' ghost'}" href="#help">${esc(t.choose)}</a>
      </article>`,
    )
    .join('');
  const languages = (Object.keys(LANG_NAMES) as DemoLang[])
    .map((code) =>
      code === lang
        ? `<a aria-current="true" lang="${code}" href="?lang=${code}">${esc(LANG_NAMES[code])}</a>`
        : `<a lang="${code}" hreflang="${code}" href="?lang=${code}">${esc(LANG_NAMES[code])}</a>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${esc(t.title)}</title>
<style>
  :root { --brand: #c2410c; --ink: #1c1917; --muted: #57534e; --bg: #fffbf5; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
  a { color: var(--brand); }
  .wrap { max-width: 1040px; margin: 0 auto; padding: 0 20px; }
  .top { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding: 18px 0; flex-wrap: wrap; }
  .logo { display: flex; align-items: center; gap: 10px; font-weight: 800; font-size: 20px; color: var(--ink); text-decoration: none; }
  .logo i { width: 34px; height: 34px; border-radius: 10px; background: linear-gradient(135deg, #ea580c, #9a3412); display: inline-block; }
  nav ul { display: flex; gap: 20px; list-style: none; margin: 0; padding: 0; }
  nav a { color: var(--ink); text-decoration: none; font-weight: 600; }
  .hero { padding: 56px 0 40px; display: grid; gap: 24px; }
  .hero h1 { font-size: clamp(32px, 6vw, 52px); line-height: 1.1; margin: 0; max-width: 14em; }
  .hero p { font-size: 19px; color: var(--muted); max-width: 36em; margin: 0; }
  .button { display: inline-block; padding: 12px 22px; border-radius: 999px; background: var(--brand); color: #fff; font-weight: 700; text-decoration: none; border: 2px solid var(--brand); }
  .button.ghost { background: transparent; color: var(--brand); }
  .hint { font-size: 15px; color: var(--muted); }
  h2 { font-size: 28px; margin: 0 0 20px; }
  .plans { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 20px; padding-bottom: 48px; }
  .plan { background: #fff; border: 1px solid #e7e5e4; border-radius: 18px; padding: 24px; position: relative; }
  .plan.featured { border: 2px solid var(--brand); box-shadow: 0 12px 32px rgba(194, 65, 12, .15); }
  .plan h3 { margin: 0 0 4px; font-size: 20px; }
  .ribbon { position: absolute; top: -13px; left: 24px; margin: 0; background: var(--brand); color: #fff; font-size: 13px; font-weight: 700; padding: 2px 12px; border-radius: 999px; }
  .price { font-size: 34px; font-weight: 800; margin: 0 0 12px; }
  .price span { font-size: 16px; font-weight: 500; color: var(--muted); }
  .plan ul { padding-left: 20px; margin: 0 0 20px; color: var(--muted); }
  .help { background: #fff; border-radius: 18px; padding: 28px; margin-bottom: 48px; border: 1px solid #e7e5e4; }
  .help p { margin: 0 0 12px; max-width: 40em; }
  .help button { font: inherit; background: none; border: 0; padding: 0; color: var(--brand); text-decoration: underline; cursor: pointer; }
  footer { border-top: 1px solid #e7e5e4; padding: 24px 0 96px; color: var(--muted); font-size: 14px; display: flex; justify-content: space-between; flex-wrap: wrap; gap: 12px; }
  .langs { display: flex; gap: 12px; }
  .langs a[aria-current] { font-weight: 700; color: var(--ink); text-decoration: none; }
</style>
</head>
<body>
<div class="wrap">
  <header class="top">
    <a class="logo" href="?lang=${lang}"><i aria-hidden="true"></i>Acme Telecom</a>
    <nav aria-label="Acme Telecom"><ul>${t.nav.map((item, i) => `<li><a href="#${i === 0 ? 'plans' : 'help'}">${esc(item)}</a></li>`).join('')}</ul></nav>
  </header>
  <main>
    <section class="hero">
      <h1>${esc(t.heroTitle)}</h1>
      <p>${esc(t.heroText)}</p>
      <div><a class="button" href="#plans">${esc(t.cta)}</a></div>
      <p class="hint">${esc(t.chatHint)}</p>
    </section>
    <section id="plans" aria-labelledby="plans-title">
      <h2 id="plans-title">${esc(t.plansTitle)}</h2>
      <div class="plans">${plans}
      </div>
    </section>
    <section id="help" class="help" aria-labelledby="help-title">
      <h2 id="help-title">${esc(t.helpTitle)}</h2>
      <p>${esc(t.helpText)}</p>
      <button type="button" id="reset-visitor">${esc(t.reset)}</button>
    </section>
  </main>
  <footer>
    <span>${esc(t.footer)}</span>
    <nav class="langs" aria-label="${esc(t.language)}">${languages}</nav>
  </footer>
</div>
<script src="/demo.js"></script>
<script src="/widget.js" async data-lang="${lang}" data-title="Acme Telecom" data-color="#c2410c"></script>
</body>
</html>
`;
}
