// allow-anonymous: the explicit, loudly named way to open a proxy to callers without
// credentials. A chain without any authentication policy gets verify-access-token implied
// (secure by default); only this step switches that off.
import { z } from "zod";
import { definePolicy } from "../policy.ts";

export const AllowAnonymousConfig = z.object({}).strict();
export type AllowAnonymousConfig = z.infer<typeof AllowAnonymousConfig>;

export const allowAnonymous = definePolicy<AllowAnonymousConfig>({
  name: "allow-anonymous",
  priority: 100,
  configSchema: AllowAnonymousConfig,
  authenticates: true,
});
