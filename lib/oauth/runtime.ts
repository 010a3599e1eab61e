// The process's OAuth caches — access tokens and clients — one of each per process, shared by
// server.ts's machine lane and the Next bundle's management API.
import { getDb } from "../db/index.ts";
import { getStore } from "../store/index.ts";
import { sharedInstance } from "../runtime/shared-instance.ts";
import { AccessTokenValidator } from "./tokens/validator.ts";
import { ClientCache } from "./client-cache.ts";

export function accessTokenValidator(): AccessTokenValidator {
  return sharedInstance("access-token-validator", () => new AccessTokenValidator(getDb(), getStore()));
}

export function clientCache(): ClientCache {
  return sharedInstance("oauth-client-cache", () => new ClientCache(getDb(), getStore()));
}
