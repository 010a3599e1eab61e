// The echo backend answers only the gateway: the gateway sends this header, whose value is
// derived from the deployment's encryption key (every instance that shares the key shares the
// value), and the echo answers any other caller as if it did not exist. Callers cannot send it
// through the gateway: inbound X-Gatehouse-* headers are dropped.
import { createHmac } from "node:crypto";

export const ECHO_KEY_HEADER = "x-gatehouse-echo-key";

export function echoKey(encryptionKey: Buffer): string {
  return createHmac("sha256", encryptionKey).update("gatehouse echo backend").digest("base64url");
}
