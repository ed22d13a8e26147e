// Two pages (the main window and the compact overlay), built to `dist` for the Tauri shell to serve.
// The shell's CSP is `default-src 'self'`, so nothing here may inline scripts or styles into the HTML.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The webviews Tauri v2 runs on: WebView2 (Chromium), WebKitGTK and WKWebView (Safari 15+).
    target: ['es2022', 'chrome105', 'safari15'],
    // Inlined assets would be `data:` URLs; keep every asset a real file under the CSP.
    assetsInlineLimit: 0,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        overlay: fileURLToPath(new URL('./overlay.html', import.meta.url)),
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
  },
});
