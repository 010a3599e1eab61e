// Playwright: one Gatehouse for the browser tests; its URL and data directory reach the tests via the environment.
import { startGatehouse } from "./gatehouse.ts";

export default async function globalSetup() {
  const gatehouse = await startGatehouse();
  process.env.GATEHOUSE_URL = gatehouse.url;
  // okta-dev's seed (users, TOTP secret) lives under it
  process.env.GATEHOUSE_DATA_DIR = gatehouse.dataDir;
  return async () => {
    await gatehouse.stop();
  };
}
