/**
 * V8 flags the store process runs with (`npm start`, and every test and benchmark that starts
 * `dist/server/main.js`). A 4 MB semi-space instead of V8's 16 MB: the store's garbage is short-
 * lived request data, so a smaller young generation costs a few more quick scavenges and keeps
 * about 40 MB of resident memory off an instance under load (RSS budget: 150 MB, issue 12).
 * A unit test keeps package.json's start script in step with this list.
 */
export const STORE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
