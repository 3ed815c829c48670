import react from '@vitejs/plugin-react';
import { defineConfig, loadEnv } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// Where `nx serve web` (and `vite preview`) send /api and /socket.io: the gateway.
const gateway = process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:8080';
const proxy = {
  '/api': { target: gateway, changeOrigin: true },
  '/socket.io': { target: gateway, changeOrigin: true, ws: true },
};

export default defineConfig(({ mode }) => ({
  root: import.meta.dirname,
  // The VITE_ variables (environment and .env files), validated by src/config/env.ts. One constant
  // instead of `import.meta.env` in the code, so that Jest (CommonJS) runs it unchanged.
  define: { __WEB_ENV__: JSON.stringify(loadEnv(mode, import.meta.dirname, 'VITE_')) },
  cacheDir: '../../node_modules/.vite/apps/web',
  server: { port: 5173, host: '127.0.0.1', strictPort: true, proxy },
  preview: { port: 4300, host: '127.0.0.1', proxy },
  // Vite's own tsconfig `paths` support resolves @micronote/contracts (the Nx plugins for this are deprecated).
  resolve: { tsconfigPaths: true },
  plugins: [
    react(),
    // The installable app: the manifest and the service worker (src/sw/sw.ts, served as /sw.js),
    // which precaches the whole build; the app registers it itself (src/app/pwa/service-worker.ts).
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifestFilename: 'manifest.webmanifest',
      injectManifest: {
        rollupFormat: 'iife',
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest}'],
      },
      manifest: {
        id: '/',
        name: 'MicroNote',
        short_name: 'MicroNote',
        description: 'Notes and todos, in sync across your tabs and devices, and there offline too.',
        start_url: '/notes',
        scope: '/',
        display: 'standalone',
        theme_color: '#4338ca',
        background_color: '#f5f6fa',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
    }),
  ],
  build: {
    outDir: '../../dist/apps/web',
    emptyOutDir: true,
    reportCompressedSize: true,
    // Small enough to inline nothing but favicons; every chunk stays a cacheable file.
    assetsInlineLimit: 0,
    commonjsOptions: {
      transformMixedEsModules: true,
    },
  },
}));
