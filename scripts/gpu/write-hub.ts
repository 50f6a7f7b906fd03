/**
 * Writes the built-in tiny model (Llama-3's 128k vocabulary, the project's own builder, fixed seed) as a
 * repository in the hub's layout, for the GPU kit's race and hub sweeps (drive.py serves it):
 *   node_modules/.bin/tsx scripts/gpu/write-hub.ts ROOT [q4,fp32]
 * Other hub-layout repositories (a Hugging Face export, say) can be copied into ROOT/org/name beside it.
 */
import { BUILT_IN_QUANTIZATIONS, type BuiltInQuantization } from '../../src/model/config';
import { writeModelRepository } from '../lib/hub-fixtures';
import { KIT_RACE_REPO } from './jobs';

const [root, quantList = 'q4'] = process.argv.slice(2);
if (root === undefined) {
  console.error('usage: write-hub.ts ROOT [q4,fp32]');
  process.exit(2);
}
const quantizations = quantList.split(',');
const buildable = quantizations.filter((q): q is BuiltInQuantization =>
  (BUILT_IN_QUANTIZATIONS as readonly string[]).includes(q),
);
if (buildable.length !== quantizations.length) {
  console.error(`write-hub: the built-in model has ${BUILT_IN_QUANTIZATIONS.join(', ')}`);
  process.exit(2);
}
writeModelRepository(root, KIT_RACE_REPO, buildable);
console.log(`write-hub: wrote ${KIT_RACE_REPO} (${buildable.join(', ')}) under ${root}`);
