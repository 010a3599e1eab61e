// The process's access-token validator (one cache per process, shared by server.ts's machine
// lane and the Next bundle's management API).
import { getDb } from "../db/index.ts";
import { getStore } from "../store/index.ts";
import { sharedInstance } from "../runtime/shared-instance.ts";
import { AccessTokenValidator } from "./tokens/validator.ts";

export function accessTokenValidator(): AccessTokenValidator {
  return sharedInstance("access-token-validator", () => new AccessTokenValidator(getDb(), getStore()));
}
