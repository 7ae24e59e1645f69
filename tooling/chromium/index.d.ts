/** Debian's Chromium, headless (`CHROMIUM_PATH` overrides the path), with the flags CI needs. */
export declare const chromiumLaunchOptions: {
  executablePath: string;
  headless: true;
  args: string[];
};
