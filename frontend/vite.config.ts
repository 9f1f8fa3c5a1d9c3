/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Where `vite` (dev) and `vite preview` forward /api and /ws; the Quarkus service by default.
const api = process.env.READYROOM_API ?? 'http://localhost:8080';

// The same policy the service sends, so `vite preview` catches CSP mistakes early.
const csp =
  "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'";

// The app is served by Quarkus (Quinoa) from frontend/dist, under a CSP without 'unsafe-inline':
// CSS goes to files, no inline scripts, and the module-preload polyfill (an inline helper) is off.
export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': api,
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
  preview: {
    port: 4173,
    headers: { 'Content-Security-Policy': csp },
    proxy: {
      '/api': api,
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
