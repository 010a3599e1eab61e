import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, findChromium } from "./e2e/harness/chromium.ts";

// Browser tests in Debian's Chromium; scripts/test/run-all.ts skips them (or fails under CI)
// when no Chromium is installed.
export default defineConfig({
  testDir: "e2e/browser",
  globalSetup: "./e2e/harness/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    headless: true,
    launchOptions: { executablePath: findChromium() ?? undefined, args: CHROMIUM_ARGS },
    trace: "off",
  },
});
