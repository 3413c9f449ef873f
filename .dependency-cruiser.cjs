// @ts-check
// The layering of server/ (DESIGN.md "Layout", README "Architecture"), checked by dependency-cruiser.
// `npm run lint:layers` fails on any import against it and on any cycle between folders.
//
// LAYERS lists server/'s groups lowest first. A group may import from its own group and from
// groups of a lower rank, never from a sibling of the same rank or from above. Type-only imports
// count: knowing another layer's types is depending on it. The README's architecture section shows
// this same order; change both together.

/** server/'s top-level leaf utilities: they import nothing from server/ but each other. */
const LEAF_UTILITIES = [
  'config',
  'money',
  'paths',
  'logger',
  'random-token',
  'domain-error',
  'validation',
  'embed-origins',
  'browser-origins',
  'stored-url',
  'fault-injection',
];

/** Route files: the only files outside server/http/ that may use the transport layer. */
const ROUTE_FILE = '\\.(routes|api|router)\\.ts$';

/**
 * @typedef {object} Group
 * @property {string} name
 * @property {number} rank lower ranks sit lower; equal ranks are siblings that must not import each other
 * @property {string} path the modules of the group
 * @property {string} [except] modules inside `path` whose own imports follow other rules (see the db/ rules below)
 * @property {string[]} [onlyImportedBy] names of the groups that may import this one (test/ always may)
 */

/** @type {Group[]} */
const LAYERS = [
  { name: 'leaf utilities', rank: 0, path: `^server/(${LEAF_UTILITIES.join('|')})\\.ts$` },
  { name: 'http', rank: 1, path: '^server/http/' },
  { name: 'db', rank: 1, path: '^server/db/' },
  { name: 'catalog', rank: 2, path: '^server/catalog/' },
  // seo/ renders the catalog for crawlers and needs nothing above it, so it sits right on the catalog.
  { name: 'cart', rank: 3, path: '^server/cart/' },
  { name: 'seo', rank: 3, path: '^server/seo/' },
  { name: 'orders', rank: 4, path: '^server/orders/' },
  { name: 'payments', rank: 5, path: '^server/payments/' },
  { name: 'checkout', rank: 6, path: '^server/checkout/' },
  // Payment-page integrity: the script inventory of the checkout's pages, its CSP, violation
  // reports and the drift check; the admin shows them.
  { name: 'integrity', rank: 6.5, path: '^server/integrity/' },
  { name: 'admin', rank: 7, path: '^server/admin/' },
  // Order e-mails go to the shopper and to every admin account, so notifications sit on admin.
  { name: 'notifications', rank: 7.5, path: '^server/notifications/' },
  // The sandbox gateways stand beside main.ts: only main.ts (and test/) start them; they may use
  // any domain folder (the hosted page offers the checkout's countries), never the wiring.
  { name: 'sandbox', rank: 7.8, path: '^server/sandbox/', onlyImportedBy: ['main'] },
  // app.ts and any other top-level file that is not a leaf utility: wiring.
  { name: 'wiring', rank: 8, path: `^server/(?!main\\.ts$)(?!(${LEAF_UTILITIES.join('|')})\\.ts$)[^/]+\\.ts$` },
  { name: 'main', rank: 9, path: '^server/main\\.ts$' },
];

/** The group names that may import `target`, given its rank and `onlyImportedBy`. */
function mayImport(/** @type {Group} */ from, /** @type {Group} */ target) {
  if (from === target) return true;
  if (target.onlyImportedBy) return target.onlyImportedBy.includes(from.name);
  return target.rank < from.rank;
}

/** A module that belongs to no group (a new folder) must be placed in LAYERS before it may be imported. */
const KNOWN = LAYERS.map((group) => group.path);

/** An error-level forbidden rule; `comment` is what a violation's reader needs to know. */
function forbid(/** @type {string} */ name, /** @type {string} */ comment, /** @type {object} */ from, /** @type {object} */ to) {
  return { name, severity: /** @type {const} */ ('error'), comment, from, to };
}

/** @type {import('dependency-cruiser', { with: { 'resolution-mode': 'import' } }).IConfiguration} */
module.exports = {
  forbidden: [
    ...LAYERS.map((group) => {
      const allowed = LAYERS.filter((target) => mayImport(group, target));
      const below = allowed.filter((target) => target !== group).map((target) => target.name);
      return forbid(
        `layer-${group.name.replace(/ /g, '-')}`,
        below.length === 0
          ? `${group.name} is the lowest layer: it imports nothing from server/ outside itself.`
          : `${group.name} may import only from itself and from: ${below.join(', ')} (README, Architecture).`,
        { path: group.path, ...(group.except ? { pathNot: group.except } : {}) },
        { path: '^server/', pathNot: allowed.map((target) => target.path) },
      );
    }),
    forbid(
      'layer-unknown-folder',
      'Every folder of server/ has a place in the layers: add it to LAYERS in .dependency-cruiser.cjs and to the README.',
      { path: '^server/.+\\.ts$', pathNot: KNOWN },
      {},
    ),
    forbid(
      'http-only-from-routes',
      'server/http/ is the transport: only route files (*.routes.ts, *.api.ts, *.router.ts), app.ts, main.ts and the sandbox ' +
        '(which runs its own HTTPS servers beside main.ts) use it. Services throw domain errors; http/ maps them to statuses.',
      { path: '^server/', pathNot: ['^server/http/', ROUTE_FILE, '^server/(app|main)\\.ts$', '^server/sandbox/'] },
      { path: '^server/http/' },
    ),

    // server/entities.ts names every table, so it sits at the wiring level with server/database.ts,
    // which hands TypeORM the whole schema. These rules keep that list from becoming a way around the layers.
    forbid(
      'entity-list-lists-entities-only',
      'server/entities.ts only lists the *.entity.ts files of every folder; it imports nothing else.',
      { path: '^server/entities\\.ts$' },
      { pathNot: '\\.entity\\.ts$' },
    ),
    forbid(
      'entity-list-only-for-the-database',
      'Only server/database.ts reads the entity list; code that needs an entity imports that entity.',
      { pathNot: ['^server/database\\.ts$', '^test/'] },
      { path: '^server/entities\\.ts$' },
    ),
    forbid(
      'database-open-only-at-entry-points',
      'server/database.ts knows every entity, so only entry points open the database: main.ts, *-cli.ts, ' +
        'ormconfig.ts and tests. Everything else is handed its DataSource.',
      { path: '^server/', pathNot: ['^server/main\\.ts$', '-cli\\.ts$', '^server/database\\.ts$'] },
      { path: '^server/database\\.ts$' },
    ),
    forbid(
      'entities-import-entities-only',
      'An *.entity.ts file may import other entities and leaf utilities; anything else only as a type, so that ' +
        'loading the entity list loads no domain logic.',
      { path: '^server/.+\\.entity\\.ts$' },
      { path: '^server/', pathNot: ['\\.entity\\.ts$', LAYERS[0].path], dependencyTypesNot: ['type-only'] },
    ),

    // Cycles between folders: the layer rules already make them impossible, since of two groups at
    // least one may not import the other (siblings neither), so every folder cycle shows up above as
    // a layer-* violation on its upward edge. A folder-scoped no-circular rule cannot be used on top:
    // dependency-cruiser's folder graph would count the entity list's edges as db/ -> every folder.
    // What remains is a cycle of modules that crosses a folder boundary, reported as such:
    forbid(
      'no-cycle-across-folders',
      'No import cycle may leave its folder (a top-level file counts as its own folder). Cycles inside one folder, ' +
        'such as the two sides of a TypeORM relation, are allowed.',
      { path: '^server/([^/]+)' },
      { circular: true, via: { pathNot: '^server/$1(/|$)' } },
    ),

    forbid(
      'browser-code-stays-in-the-browser',
      'public/ is browser code built by esbuild; it talks to the store only over the public HTTP API.',
      { path: '^public/' },
      { path: '^(server|test|scripts)/' },
    ),
    forbid(
      'server-does-not-import-browser-code',
      'The server serves public/build; it never imports the browser sources.',
      { path: '^server/' },
      { path: '^public/' },
    ),
    forbid(
      'no-dev-dependencies-in-server',
      'The server runs with production dependencies only; devDependencies are for tests and build scripts. ' +
        'The sandbox (development and tests only) is exempt.',
      { path: '^server/', pathNot: '^server/sandbox/' },
      { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|data|coverage|public/build|test-artifacts)/' },
    moduleSystems: ['es6', 'cjs'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    skipAnalysisNotInRules: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
