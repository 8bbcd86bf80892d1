import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by governance at /console (ConsoleController); everything is bundled: no CDN, no web fonts from outside.
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1_000,
  },
  logLevel: 'warn',
});
