import { defineConfig } from "vite";

// The page is served by the MusicDna server from its build output's explorer/ folder: relative asset paths, no
// CDN, nothing fetched at run time (every module is bundled).
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
});
