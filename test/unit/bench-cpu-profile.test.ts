import { formatSelfTimes, topSelfTimes, type CpuProfile } from '../../scripts/bench/cpu-profile-summary';

// `npm run bench -- --profile <row>`: the store's .cpuprofile summarised as top self time.

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// Node 1: idle; 2: writev (native); 3 and 4: the same function at two call sites; 5: a module function.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(idle)') },
    { id: 2, callFrame: frame('writev') },
    { id: 3, callFrame: frame('query', 'file:///repo/node_modules/typeorm/driver/Runner.js', 75) },
    { id: 4, callFrame: frame('query', 'file:///repo/node_modules/typeorm/driver/Runner.js', 75) },
    { id: 5, callFrame: frame('', 'file:///repo/dist/server/app.js', 9) },
  ],
  //         idle  writev query query anon  writev
  samples: [1, 2, 3, 4, 5, 2],
  timeDeltas: [5000, 1000, 2000, 2000, 1000, 4000],
  startTime: 0,
  endTime: 15_000,
};

describe('topSelfTimes', () => {
  it('sums self time per function over its call sites, leaves idle out, and ranks by time', () => {
    expect(topSelfTimes(profile, 10, '/repo')).toEqual([
      { frame: 'writev', selfMs: 5, share: 0.5 },
      { frame: 'query (node_modules/typeorm/driver/Runner.js:76)', selfMs: 4, share: 0.4 },
      { frame: '(anonymous) (dist/server/app.js:10)', selfMs: 1, share: 0.1 },
    ]);
  });

  it('keeps only the top n', () => {
    expect(topSelfTimes(profile, 1, '/repo').map((row) => row.frame)).toEqual(['writev']);
  });

  it('outside the repository shortens a path to its node_modules part', () => {
    expect(topSelfTimes(profile, 2, '/elsewhere')[1].frame).toBe('query (node_modules/typeorm/driver/Runner.js:76)');
  });

  it('with a window counts only the samples taken in it (samples at 5, 6, 8, 10, 11 and 15 ms; the last 4.5 ms hold two)', () => {
    const rows = topSelfTimes(profile, 10, '/repo', { fromUsBeforeEnd: 4500, toUsBeforeEnd: 0 });
    expect(rows).toEqual([
      { frame: 'writev', selfMs: 4, share: 0.8 },
      { frame: '(anonymous) (dist/server/app.js:10)', selfMs: 1, share: 0.2 },
    ]);
    // The 2 ms of query, from 8 to 10 ms, when the window ends 4.5 ms before the end.
    expect(topSelfTimes(profile, 10, '/repo', { fromUsBeforeEnd: 6000, toUsBeforeEnd: 4500 })).toEqual([
      { frame: 'query (node_modules/typeorm/driver/Runner.js:76)', selfMs: 2, share: 1 },
    ]);
  });
});

describe('formatSelfTimes', () => {
  it('is a markdown table, milliseconds and shares rounded', () => {
    expect(formatSelfTimes([{ frame: 'a|b', selfMs: 12.4, share: 0.1234 }])).toBe(
      '| self time | share | function |\n|---:|---:|---|\n| 12 ms | 12.3 % | a\\|b |',
    );
  });
});
