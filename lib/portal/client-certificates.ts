// An app's client certificate (RFC 8705): registering one lets the app authenticate with
// tls_client_auth and binds the tokens it gets over mutual TLS to that certificate. One per
// app; the owner or an admin sets or removes it. Replacing or removing a certificate revokes
// the access tokens bound to the old one, so a leaked certificate takes its tokens with it.
import { z } from "zod";
import type { Actor, PortalContext } from "./context.ts";
import { PortalError } from "./errors.ts";
import { appInclude, findVisibleApp } from "./app-access.ts";
import { recordAudit } from "./audit.ts";
import { withRevocations } from "../oauth/tokens/revocation.ts";
import { announceAppChange } from "../events/app-changes.ts";
import { parseInput } from "./validation.ts";
import { appView, type AppView } from "./views.ts";
import { ClientCertificateError, THUMBPRINT, parseClientCertificate } from "../security/client-certificates.ts";

export const ClientCertificateInput = z.union([
  z.object({ certificate: z.string().min(1).max(20_000) }).strict(),
  z.object({ thumbprint: z.string().regex(THUMBPRINT, { error: "Thumbprint must be a SHA-256 thumbprint, base64url without padding (43 characters)." }) }).strict(),
]);

const PROBLEMS: Record<ClientCertificateError["code"], string> = {
  not_pem: "Paste one PEM certificate (-----BEGIN CERTIFICATE-----) or its thumbprint.",
  several_certificates: "Paste one certificate, not a chain.",
  unparseable: "This is not a valid X.509 certificate.",
  expired: "This certificate has expired.",
  not_yet_valid: "This certificate is not valid yet.",
};

function thumbprintOf(input: z.infer<typeof ClientCertificateInput>, now: Date): string {
  if ("thumbprint" in input) return input.thumbprint;
  try {
    return parseClientCertificate(input.certificate, now).thumbprint;
  } catch (error) {
    if (!(error instanceof ClientCertificateError)) throw error;
    throw new PortalError("invalid", PROBLEMS[error.code], { fields: { certificate: PROBLEMS[error.code] } });
  }
}

export async function setClientCertificate(ctx: PortalContext, actor: Actor, appId: string, input: unknown): Promise<AppView> {
  const before = await findVisibleApp(ctx, actor, appId, "manage");
  const thumbprint = thumbprintOf(parseInput(ClientCertificateInput, input), ctx.now?.() ?? new Date());
  return changeCertificate(ctx, actor, before, thumbprint);
}

export async function removeClientCertificate(ctx: PortalContext, actor: Actor, appId: string): Promise<AppView> {
  const before = await findVisibleApp(ctx, actor, appId, "manage");
  return changeCertificate(ctx, actor, before, null);
}

async function changeCertificate(ctx: PortalContext, actor: Actor, before: Awaited<ReturnType<typeof findVisibleApp>>, thumbprint: string | null): Promise<AppView> {
  const old = before.clientCertThumbprint;
  const now = ctx.now?.() ?? new Date();
  const after = await withRevocations(ctx.db, ctx.store, now, async (tx, revoke) => {
    let revokedIds: string[] = [];
    if (old && old !== thumbprint) {
      const bound = await tx.accessToken.findMany({ where: { appId: before.id, certificateThumbprint: old, revokedAt: null }, select: { id: true } });
      revokedIds = bound.map((t) => t.id);
      if (revokedIds.length) await revoke({ tokenIds: revokedIds });
    }
    await tx.app.update({ where: { id: before.id }, data: { clientCertThumbprint: thumbprint } });
    const after = await tx.app.findUniqueOrThrow({ where: { id: before.id }, include: appInclude });
    await recordAudit(tx, actor, {
      action: thumbprint ? "app.client_certificate_set" : "app.client_certificate_removed",
      targetType: "app",
      targetId: before.id,
      before: { clientCertificate: old ? { thumbprint: old } : null },
      after: { clientCertificate: thumbprint ? { thumbprint } : null, boundTokensRevoked: revokedIds.length },
    });
    return after;
  });
  await announceAppChange(ctx.store, { appId: before.id }); // client caches drop the app: the new certificate applies at once
  return appView(after);
}
