// Imports the playground's bundler resolves: sample files as text.
declare module '*.spinal' {
  const text: string;
  export default text;
}
