// @okta/okta-auth-js 8 (Node) against okta-dev's Authentication API, unchanged but for the issuer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthApiError, OktaAuth } from "@okta/okta-auth-js";
import { currentTotp } from "./totp.ts";
import { createTestUser, startTestOrg, type TestOrg } from "./test-support.ts";

let org: TestOrg;
let auth: OktaAuth;

beforeAll(async () => {
  org = await startTestOrg();
  auth = new OktaAuth({ issuer: org.issuer, clientId: org.seed.clients.portal.clientId, redirectUri: org.seed.clients.portal.redirectUris[0] });
});
afterAll(() => org.destroy());

describe("okta-auth-js signInWithCredentials", () => {
  it("signs a user without MFA straight in with a sessionToken", async () => {
    const { developer } = org.seed.users;
    const tx = await auth.signInWithCredentials({ username: developer.login, password: developer.password });
    expect(tx.status).toBe("SUCCESS");
    expect(tx.sessionToken).toEqual(expect.any(String));
    expect(tx.user?.id).toBe(developer.id);
  });

  it("asks the TOTP user for a factor, then succeeds with a valid passcode", async () => {
    const { mfa } = org.seed.users;
    const tx = await auth.signInWithCredentials({ username: mfa.login, password: mfa.password });
    expect(tx.status).toBe("MFA_REQUIRED");
    const factor = tx.factors!.find((f) => f.factorType === "token:software:totp")!;
    expect(factor.id).toBe(mfa.factorId);

    await expect(factor.verify!({ passCode: "000000" === currentTotp(mfa.totpSecret) ? "111111" : "000000" })).rejects.toMatchObject({
      errorCode: "E0000068",
    });
    const done = await factor.verify!({ passCode: currentTotp(mfa.totpSecret) });
    expect(done.status).toBe("SUCCESS");
    expect(done.sessionToken).toEqual(expect.any(String));
  });

  it("rejects a wrong password with AuthApiError E0000004", async () => {
    const err = await auth.signInWithCredentials({ username: org.seed.users.admin.login, password: "Wrong-password-1" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthApiError);
    expect((err as AuthApiError).errorCode).toBe("E0000004");
  });

  it("locks nobody out by failures: after many wrong passwords the right one still signs in", async () => {
    const developer = await createTestUser(org);
    for (let i = 0; i < 12; i++) {
      const err = await auth.signInWithCredentials({ username: developer.login, password: `Wrong-password-${i}` }).catch((e: unknown) => e);
      expect((err as AuthApiError).errorCode).toBe("E0000004");
    }
    const tx = await auth.signInWithCredentials({ username: developer.login, password: developer.password });
    expect(tx.status).toBe("SUCCESS");
  });
});
