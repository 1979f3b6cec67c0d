/**
 * The shape of the code, checked by `npm run lint`. Top-level folders are layers: a folder may
 * import itself and the folders listed before it, never one after it. `platform` knows no domain;
 * `app` (the composition root) alone may know every domain; `jobs` (the worker) uses `app`; `dev`
 * (quick start, demo, sandbox vendor) may use anything and nothing shipped may use it.
 */
const LAYERS = [
  'migrations',
  'src/messages',
  'src/platform',
  'src/audit',
  'src/alerts',
  'src/customers',
  'src/operators',
  'src/campaigns',
  'src/letters',
  'src/imports',
  'src/pools',
  'src/erasure',
  'src/auth',
  'src/fulfilment',
  'src/redemption',
  'src/postcards',
  'src/contact',
  'src/reports',
  'src/purge',
  'src/api',
  'src/background',
  'src/app',
  'jobs',
  'dev',
];

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const layerRules = LAYERS.map((layer, i) => ({
  name: `layer-${layer.replace('src/', '')}`,
  comment: `${layer} may import only ${LAYERS.slice(0, i).join(', ') || 'itself'} (see LAYERS)`,
  severity: 'error',
  from: { path: `^${escapeRegExp(layer)}/` },
  to: { path: `^(${LAYERS.slice(i + 1).map(escapeRegExp).join('|')})/` },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'No file imports itself back through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-root-files',
      comment: 'Every source file lives in a layer folder.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: {},
    },
    {
      name: 'domain-logic-no-http-or-queue',
      comment: 'Services, repositories, schemas and tables know neither Express nor BullMQ.',
      severity: 'error',
      from: { path: '\\.(service|repo|schema|table)\\.ts$' },
      to: { path: 'node_modules/(express|bullmq)/' },
    },
    {
      name: 'bullmq-at-the-edges',
      comment: 'Only the queue adapters, the jobs console page, the composition root and the worker know BullMQ.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(platform/queue[^/]*|background/[^/]+|app/[^/]+)\\.ts$' },
      to: { path: 'node_modules/bullmq/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
