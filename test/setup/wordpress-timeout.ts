// WordPress suites install a blog and drive Chromium through it: 120 s per test and hook. (A
// project's own `testTimeout` is not read by jest, only the global one, so each slow project sets it here.)
jest.setTimeout(120_000);
