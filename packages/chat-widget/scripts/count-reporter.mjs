// A web-test-runner reporter that writes test-results/summary.json = {"passed": N, "failed": N}
// when a run finishes; CI adds these files up across the monorepo's test runners.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

/** @param {import('@web/test-runner-core').TestSuiteResult | undefined} suite */
function count(suite, totals = { passed: 0, failed: 0 }) {
  if (!suite) return totals;
  for (const test of suite.tests) {
    if (test.skipped) continue;
    if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites) count(child, totals);
  return totals;
}

/** @returns {import('@web/test-runner').Reporter} */
export function countReporter({
  outFile = fileURLToPath(new URL('../test-results/summary.json', import.meta.url)),
} = {}) {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0 };
      for (const session of sessions) {
        const own = count(session.testResults);
        totals.passed += own.passed;
        totals.failed += own.failed;
        // A file that failed to load, or failed outside any test (a hook, an uncaught
        // error), has no failing test to count but must still fail the sum.
        if (!session.passed && own.failed === 0) totals.failed += 1;
      }
      mkdirSync(dirname(outFile), { recursive: true });
      writeFileSync(outFile, `${JSON.stringify(totals)}\n`);
    },
  };
}
