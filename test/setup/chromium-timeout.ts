// Browser suites drive Chromium against real servers: 60 s per test and hook. (A project's own
// `testTimeout` is not read by jest, only the global one, so each slow project sets it here.)
jest.setTimeout(60_000);
