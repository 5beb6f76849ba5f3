declare module 'spinal:embedded-files' {
  /** Files of the package by absolute path ('/package.json', '/templates/wgsl/dense.wgsl.hbs'). */
  export const FILES: Readonly<Record<string, string>>;
}
