/** Injected by vite.config.ts from package.json, so results name the app version that measured them. */
declare const __APP_VERSION__: string;
