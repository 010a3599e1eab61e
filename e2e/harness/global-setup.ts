// Playwright: one Gatehouse for the browser tests; its URL reaches the tests via the environment.
import { startGatehouse } from "./gatehouse.ts";

export default async function globalSetup() {
  const gatehouse = await startGatehouse();
  process.env.GATEHOUSE_URL = gatehouse.url;
  return async () => {
    await gatehouse.stop();
  };
}
