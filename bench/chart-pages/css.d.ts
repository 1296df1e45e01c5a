/** Stylesheets imported by a page are bundled by esbuild into a .css file beside the script. */
declare module '*.css';
