import type { Plugin } from 'vite';

/**
 * A build plugin: index.html preloads the landing page's chunk (the ticket list, where every agent
 * starts) with all the chunks it imports, and links its stylesheet. Without it the lazy route is
 * fetched only once the shell has rendered, and vite's preload helper then adds a <link> per
 * dependency from script, which on a phone-class CPU cost more than the fetches themselves (the
 * service worker answers from its cache). The helper skips what the page already links.
 */
export function preloadLandingPage(entry: RegExp): Plugin {
  return {
    name: 'desk:preload-landing-page',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) return [];
        const page = Object.values(bundle).find((file) => file.type === 'chunk' && file.facadeModuleId !== null && entry.test(file.facadeModuleId));
        if (page?.type !== 'chunk') throw new Error(`preload-landing-page: no chunk matches ${entry}`);
        const scripts = new Set<string>();
        const styles = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = bundle[fileName];
          // The entry is index.html's own script.
          if (chunk?.type !== 'chunk' || chunk.isEntry || scripts.has(fileName)) return;
          scripts.add(fileName);
          for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
          for (const imported of chunk.imports) visit(imported);
        };
        visit(page.fileName);
        const linked = (file: string) => html.includes(`/${file}"`);
        return [
          ...[...scripts].filter((file) => !linked(file)).map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const })),
          ...[...styles].filter((file) => !linked(file)).map((file) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}
