import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { preloadLandingPage } from './build/preload-landing-page.ts';
import { SERVER_PATHS } from './src/server-paths.ts';

const SERVER = 'http://127.0.0.1:8080';
const require = createRequire(import.meta.url);

export default defineConfig({
  plugins: [
    solid(),
    preloadLandingPage(/[\\/]features[\\/]tickets[\\/]TicketsPage\.tsx$/),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      injectManifest: {
        // The plugin adds the manifest and its icons to the precache itself.
        globPatterns: ['**/*.{js,css,html,svg,woff2}', 'icons/apple-touch-icon.png'],
      },
      manifest: {
        name: 'Desk',
        short_name: 'Desk',
        description: 'Helpdesk for chatbot-first support',
        theme_color: '#4f46e5',
        background_color: '#f6f7fb',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
  ],
  resolve: {
    alias: [
      // @desk/core's phone parsing reads its metadata on first use instead of at every start (see the file).
      { find: /^libphonenumber-js\/max$/, replacement: fileURLToPath(new URL('./src/shell/lazy-phone-numbers.ts', import.meta.url)) },
      { find: /^libphonenumber-js-max-metadata/, replacement: require.resolve('libphonenumber-js/metadata.max.json') },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      treeshake: {
        // @desk/core's modules only declare schemas and functions: whatever the PWA doesn't use
        // (zod schemas, phone parsing) is left out of the bundle instead of loading on every start.
        moduleSideEffects: [{ test: /[\\/]packages[\\/]core[\\/]src[\\/]/, sideEffects: false }],
      },
    },
  },
  server: {
    proxy: Object.fromEntries(SERVER_PATHS.map((path) => [path, { target: SERVER, changeOrigin: false }])),
  },
  preview: {
    proxy: Object.fromEntries(SERVER_PATHS.map((path) => [path, { target: SERVER, changeOrigin: false }])),
  },
});
