import { defineConfig } from "vitest/config";

// Two groups, run one after the other: fast in-process tests in parallel, then
// the tests that start real processes and clusters one file at a time, so
// their timing assertions do not compete with each other for the two cores.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["{sdk,server,cli,conformance}/src/**/*.test.ts"], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "process", include: ["{server,cli,conformance}/test/**/*.test.ts"], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
