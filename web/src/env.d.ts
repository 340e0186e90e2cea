// Stylesheets imported for their side effect; vite bundles them into web/dist/assets.
declare module '*.css';
