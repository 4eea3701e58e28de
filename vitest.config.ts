import { defineConfig } from "vitest/config";

/** Tests run on the sources: "deriva" resolves to packages/deriva/src through its "@deriva/source" export. */
const conditions = ["@deriva/source", "import", "node", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@deriva/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    setupFiles: ["test/support/check-arena.ts"],
  },
});
