import { fileURLToPath, URL } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromiumLaunchOptions } from '@ticket0/chromium-config';
import { countReporter } from './scripts/count-reporter.mjs';

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: 'src/**/*.test.ts',
  nodeResolve: true,
  // An axe audit of the whole open panel takes 1.5–2 s here, and several seconds more on a
  // busy machine: mocha's default 2 s made those tests flaky.
  testFramework: { config: { timeout: 10000 } },
  plugins: [
    esbuildPlugin({
      ts: true,
      // Decorators compile only with the package tsconfig (experimentalDecorators).
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers: [chromeLauncher({ launchOptions: chromiumLaunchOptions })],
  reporters: [defaultReporter(), countReporter()],
};
