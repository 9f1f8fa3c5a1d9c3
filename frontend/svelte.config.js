import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Room, RoomPage and ItemForm read their props once on purpose: each is re-created
    // ({#key}) when the room or the edited item changes.
    warningFilter: (w) => w.code !== 'state_referenced_locally',
  },
};
