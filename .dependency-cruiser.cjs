/**
 * Imports point down the layers of the README's picture (config -> plan -> engine -> trials -> analysis ->
 * views), and no module imports itself through a cycle. `npm run lint` runs this (npm test too).
 * A folder may import from itself and from the folders listed before it; tests may import anything.
 */
const LAYERS = [
  'src/error-message',
  'src/format-bytes',
  'src/security',
  'src/model',
  'src/config',
  'src/tokenizer',
  'src/source',
  'src/results',
  'src/bench',
  'src/hub',
  'src/engine',
  'src/roofline',
  'src/report',
  'src/worker',
  'src/race',
  'src/ui',
  'src/App',
  'src/main',
];

const TESTS = '(\\.test\\.tsx?|-fixture\\.ts)$';
const escape = (path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const layerPath = (path) => `^${escape(path)}(/|\\.tsx?$)`;

const layerRules = LAYERS.map((layer, index) => ({
  name: `layer:${layer}`,
  comment: `${layer} may import only from ${LAYERS.slice(0, index).join(', ') || 'nothing in src'} (and itself)`,
  severity: 'error',
  from: { path: layerPath(layer), pathNot: TESTS },
  to: {
    path: '^src/',
    pathNot: LAYERS.slice(0, index + 1).map(layerPath),
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles: move the shared types into a leaf module below both (STYLE.md).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'no-unknown-src-folder',
      comment: 'Every folder under src/ has a place in LAYERS.',
      severity: 'error',
      from: { path: '^src/', pathNot: [TESTS, ...LAYERS.map(layerPath)] },
      to: {},
    },
    {
      name: 'scripts-import-no-tests',
      comment:
        'Benchmark scripts run shipped code and scripts/lib, never test code from e2e/ or *.test files.',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: ['^e2e/', TESTS] },
    },
    {
      name: 'app-imports-no-scripts',
      comment:
        'The app does not depend on Node scripts or tests (its unit tests may use their servers and fixtures).',
      severity: 'error',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: ['^scripts/', '^e2e/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '^dist/', '\\.d\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs'] },
  },
};
