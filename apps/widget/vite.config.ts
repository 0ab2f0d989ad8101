import { defineConfig } from 'vite';

/** One self-contained IIFE file, dist/widget.js, that a website loads with a single <script> tag. */
export default defineConfig({
  build: {
    target: 'es2020',
    emptyOutDir: true,
    sourcemap: false,
    lib: {
      entry: 'src/main.ts',
      formats: ['iife'],
      name: 'DeskWidgetBundle',
      fileName: () => 'widget.js',
    },
  },
});
