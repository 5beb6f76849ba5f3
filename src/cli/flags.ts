// Library messages name the options of its API (`map`, see diagnostics/option.ts); the command
// line names the flag that sets each one, where it prints such a message.

/** The flag that sets each option a library message may name, as the command line says it. */
const FLAGS: Readonly<Record<string, string>> = {
  map: '--map FILE.json',
  prefix: '--prefix',
  key: '--key',
  vs: '--vs',
  dir: '--out folder',
  force: '--force',
  loss: '--loss',
  lr: '--lr',
  batch: '--batch',
  resume: '--resume',
  upload: '--upload-data',
  queue: '--queue',
  data: '--data',
  weights: '--weights W.safetensors',
};

/** A library message with each option it names said as the flag that sets it. */
export function inFlagTerms(message: string): string {
  return message.replace(/`(\w+)`/g, (named, name: string) => (Object.hasOwn(FLAGS, name) ? FLAGS[name] : named));
}
