import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from "./signing.ts";

describe("webhook signing (Standard Webhooks)", () => {
  it("signs id.timestamp.body with HMAC-SHA256 under the base64 key after whsec_", () => {
    const key = Buffer.alloc(32, 7);
    const secret = `whsec_${key.toString("base64")}`;
    const body = '{"id":"evt","type":"app.revoked"}';
    const expected = createHmac("sha256", key).update(`msg_1.1700000000.${body}`).digest("base64");
    expect(signWebhook(secret, "msg_1", 1700000000, body)).toBe(`v1,${expected}`);
  });

  it("matches the published Standard Webhooks test vector", () => {
    // from the specification's reference libraries
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const body = '{"test": 2432232314}';
    expect(signWebhook(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("verifies its own signature, and refuses another body, id, timestamp or secret", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = webhookHeaders(secret, "msg_x", 1700000000, "{}");
    expect(headers["webhook-id"]).toBe("msg_x");
    expect(headers["webhook-timestamp"]).toBe("1700000000");
    const signature = headers["webhook-signature"]!;
    expect(verifyWebhook(secret, "msg_x", 1700000000, "{}", signature)).toBe(true);
    expect(verifyWebhook(secret, "msg_x", 1700000000, "{ }", signature)).toBe(false);
    expect(verifyWebhook(secret, "msg_y", 1700000000, "{}", signature)).toBe(false);
    expect(verifyWebhook(secret, "msg_x", 1700000001, "{}", signature)).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), "msg_x", 1700000000, "{}", signature)).toBe(false);
    expect(verifyWebhook(secret, "msg_x", 1700000000, "{}", `v1,bogus ${signature}`)).toBe(true);
  });
});
