/**
 * V8 flags the store process runs with (`npm start`, and every test and benchmark that starts
 * `dist/server/main.js`). An 8 MB semi-space instead of V8's 16 MB: the store's garbage is
 * short-lived request data. Measured under catalog load (scripts/bench, BENCHMARKS.md): 16 MB kept
 * RSS at 132–135 MB; 4 MB let in-flight requests outlive two scavenges and be promoted, so the old
 * generation filled with garbage (RSS 145–195 MB) and GC took a third of the time; 8 MB held RSS at
 * 116–119 MB with the most requests per second (RSS budget: 150 MB, issue 12).
 * A unit test keeps package.json's start script in step with this list.
 */
export const STORE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
