// Sums the test results every runner left in <workspace>/test-results/ (vitest's JSON
// report, web-test-runner's summary.json) and prints one line: "N passed, N failed".
// Exits 1 when anything failed or when no test ran at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const extraIndex = process.argv.indexOf('--extra-failed');
const extraFailed = extraIndex > 0 ? Number(process.argv[extraIndex + 1] ?? 0) : 0;

let passed = 0;
let failed = 0;
const rows = [];
for (const group of ['apps', 'packages']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const dir = join(group, name, 'test-results');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      // vitest: numPassedTests / numFailedTests (+ suites that failed to load);
      // web-test-runner (our reporter): passed / failed.
      const p = report.numPassedTests ?? report.passed ?? 0;
      const f = (report.numFailedTests ?? report.failed ?? 0) + (report.numFailedTestSuites ?? 0);
      passed += p;
      failed += f;
      rows.push(`${join(dir, file)}: ${p} passed, ${f} failed`);
    }
  }
}
for (const row of rows) console.log(`  ${row}`);
if (extraFailed > 0) console.log(`  checks outside the test runners that failed (size, typecheck, lint): ${extraFailed}`);
failed += extraFailed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
