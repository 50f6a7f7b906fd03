/** Injected by vite.config.ts from package.json, so results name the app version that measured them. */
declare const __APP_VERSION__: string;
/** onnxruntime-web's version from its package.json, injected the same way (the page itself never loads it). */
declare const __ORT_WEB_VERSION__: string;
