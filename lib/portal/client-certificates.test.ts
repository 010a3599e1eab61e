import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestCa } from "../../e2e/harness/certificates.ts";
import { certificateThumbprint } from "../http/tls.ts";
import { createApp } from "./apps.ts";
import { removeClientCertificate, setClientCertificate } from "./client-certificates.ts";
import { PortalError } from "./errors.ts";
import { createDeveloper, createTestPortal } from "./test-context.ts";

let ctx: Awaited<ReturnType<typeof createTestPortal>>;
beforeAll(async () => {
  ctx = await createTestPortal();
});
afterAll(() => ctx.close());

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (error instanceof PortalError ? error.code : error),
  );

describe("client certificates of apps", () => {
  it("lets the owner and admins set one; to anyone else the app does not exist", async () => {
    const ca = await createTestCa();
    const { cert } = await ca.client("owned");
    const owner = await createDeveloper(ctx, "cc-owner@example.com");
    const other = await createDeveloper(ctx, "cc-other@example.com");
    const admin = await createDeveloper(ctx, "cc-admin@example.com", "admin");
    const { app } = await createApp(ctx, owner, { name: "cc" });
    expect(await code(setClientCertificate(ctx, other, app.id, { certificate: cert }))).toBe("not_found");
    expect(await code(setClientCertificate(ctx, owner, app.id, { certificate: "nope" }))).toBe("invalid");
    expect(await code(setClientCertificate(ctx, owner, app.id, { certificate: cert, thumbprint: "x".repeat(43) }))).toBe("invalid");
    const view = await setClientCertificate(ctx, owner, app.id, { certificate: cert });
    expect(view.clientCertificate).toEqual({ thumbprint: certificateThumbprint(new X509Certificate(cert).raw) });
    expect((await removeClientCertificate(ctx, admin, app.id)).clientCertificate).toBeNull();
    const audit = await ctx.db.auditEvent.findMany({ where: { targetId: app.id, action: { startsWith: "app.client_certificate" } }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["app.client_certificate_set", "app.client_certificate_removed"]);
  });

  it("revokes the access tokens bound to the certificate it replaces, and only those", async () => {
    const owner = await createDeveloper(ctx, "cc-rotate@example.com");
    const { app, credential } = await createApp(ctx, owner, { name: "cc-rotate" });
    const old = "A".repeat(43);
    await setClientCertificate(ctx, owner, app.id, { thumbprint: old });
    const token = (hash: string, certificateThumbprint: string | null) =>
      ctx.db.accessToken.create({
        data: {
          tokenHash: hash,
          appId: app.id,
          credentialId: credential.id,
          scope: "",
          grantType: "client_credentials",
          certificateThumbprint,
          expiresAt: new Date(Date.now() + 60_000),
        },
      });
    const bound = await token("cc-bound", old);
    const unbound = await token("cc-unbound", null);
    await setClientCertificate(ctx, owner, app.id, { thumbprint: "B".repeat(43) });
    expect((await ctx.db.accessToken.findUnique({ where: { id: bound.id } }))!.revokedAt).not.toBeNull();
    expect((await ctx.db.accessToken.findUnique({ where: { id: unbound.id } }))!.revokedAt).toBeNull();
  });
});
