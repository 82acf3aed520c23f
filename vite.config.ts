import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// Only for `vite dev`: the API runs in the Fastify process (`npm run dev`).
const apiTarget = process.env['LIAISON_API_URL'] ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit()],
  // fastify brings cookie@2, kit 2 needs cookie@0.6: bundle kit's copy (STACK.md, "cookie clash").
  ssr: { noExternal: ['cookie'] },
  server: { proxy: { '/api': apiTarget } },
});
