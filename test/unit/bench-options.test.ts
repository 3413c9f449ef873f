import { enginesFor, parseBenchOptions, ROWS } from '../../scripts/bench/bench-options';

// The bench's command line: which rows run, on which stores, and how long.

describe('parseBenchOptions', () => {
  it('runs every row, 3 rounds of 5 s at 50 connections, by default', () => {
    const options = parseBenchOptions([]);
    expect(options.rows).toEqual(ROWS.map((row) => row.id));
    expect(options).toMatchObject({ profile: null, rounds: 3, roundSeconds: 5, connections: 50, out: 'bench-results.md' });
  });

  it('--profile runs only that row', () => {
    expect(parseBenchOptions(['--profile', 'checkout'])).toMatchObject({ rows: ['checkout'], profile: 'checkout' });
  });

  it('--only takes a comma-separated list of rows', () => {
    expect(parseBenchOptions(['--only', 'embed, catalog-sqlite']).rows).toEqual(['embed', 'catalog-sqlite']);
  });

  it('refuses unknown rows and options, bad numbers, and --profile with --only', () => {
    expect(() => parseBenchOptions(['--only', 'catalog'])).toThrow('unknown row "catalog"');
    expect(() => parseBenchOptions(['--fast'])).toThrow();
    expect(() => parseBenchOptions(['--rounds', '0'])).toThrow('--rounds must be a positive integer');
    expect(() => parseBenchOptions(['--seconds', '2.5'])).toThrow('--seconds must be a positive integer');
    expect(() => parseBenchOptions(['--profile', 'embed', '--only', 'embed'])).toThrow('do not combine');
  });
});

describe('enginesFor', () => {
  it('starts only the stores the selected rows need, SQLite first', () => {
    expect(enginesFor(['checkout', 'catalog-sqlite'])).toEqual(['sqlite', 'mariadb']);
    expect(enginesFor(['memory-sqlite'])).toEqual(['sqlite']);
    expect(enginesFor(['embed'])).toEqual(['mariadb']);
  });
});
