// Starts the demo: SYM_API_URL, SYM_JWT (a member bot token), SYM_MIDDLEWARE_SECRET, PORT (3000).
import { createDemoApp } from './app';

const port = Number(process.env.PORT ?? 3000);
createDemoApp().listen(port, '127.0.0.1', () => console.log(`impersonation demo on http://127.0.0.1:${port}`));
