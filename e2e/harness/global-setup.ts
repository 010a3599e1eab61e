// Playwright: one Gatehouse for the browser tests; its URL and data directory (okta-dev's seed
// with the users' passwords and TOTP secret lives under it) reach the tests via the environment.
import { startGatehouse } from "./gatehouse.ts";

export default async function globalSetup() {
  // Every spec signs people up from 127.0.0.1; the production limit (10 an hour) would refuse them.
  const gatehouse = await startGatehouse({ SIGNUP_LIMIT_PER_HOUR: "1000" });
  process.env.GATEHOUSE_URL = gatehouse.url;
  process.env.GATEHOUSE_DATA_DIR = gatehouse.dataDir;
  return async () => {
    await gatehouse.stop();
  };
}
