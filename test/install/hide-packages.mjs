// Preloaded with `node --import` by the tests of test/install/: makes the packages named in
// SPINAL_HIDE_PACKAGES (comma-separated) look uninstalled to every import and
// import.meta.resolve, as they are after `npm install --omit=optional`, while they stay on disk.
import { register } from 'node:module';

register('./hide-packages-hooks.mjs', import.meta.url, { data: { hidden: process.env.SPINAL_HIDE_PACKAGES ?? '' } });
