"use server";
// The admin console's changes as server actions, so their forms post natively before JavaScript
// loads. Each checks the admin, calls the same lib/portal function as its /api/v1 route, and
// refreshes the page it came from; a refused change comes back as the form's message.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { requireAdmin, type Viewer } from "@/lib/auth/viewer";
import { revokeAdminApiKey, createAdminApiKey } from "@/lib/portal/admin-api-keys";
import { revokeAppTokens, updateAppSettings } from "@/lib/portal/apps";
import { deleteBotRule, ruleFromDetection } from "@/lib/portal/bot-detection";
import { revokeCredential } from "@/lib/portal/credentials";
import { setDeveloperStatus } from "@/lib/portal/developers";
import { PortalError } from "@/lib/portal/errors";
import { deleteProduct } from "@/lib/portal/products";
import { deleteProxy, purgeProxyCache } from "@/lib/portal/proxies";
import { decideSubscription } from "@/lib/portal/subscriptions";
import { revokeTokensFor } from "@/lib/portal/token-revocation";
import type { ActionResult } from "@/components/ui/confirm-action";

type Admin = Pick<Viewer, "ctx" | "actor">;

/** Runs `change` as the signed-in admin (with the request's address for the audit log), then
 * refreshes `page`. A refusal (PortalError) is the form's message; anything else is a failure. */
async function asAdmin(page: string, change: (admin: Admin) => Promise<string | Omit<NonNullable<ActionResult>, "ok">>): Promise<ActionResult> {
  const { ctx, actor } = await requireAdmin(page);
  const h = await headers();
  const audited = { ...actor, ip: h.get("x-gatehouse-client-ip") ?? undefined, requestId: h.get("x-request-id") ?? undefined };
  try {
    const done = await change({ ctx, actor: audited });
    revalidatePath(page);
    return { ok: true, ...(typeof done === "string" ? { message: done } : done) };
  } catch (error) {
    if (error instanceof PortalError) return { ok: false, message: error.message };
    throw error;
  }
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

export async function setDeveloperStatusAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin("/admin/developers", async ({ ctx, actor }) => {
    const d = await setDeveloperStatus(ctx, actor, text(form, "developerId"), { status: text(form, "status") });
    return `${d.name} (${d.email}) is now ${d.status}.`;
  });
}

export async function revokeDeveloperTokensAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin("/admin/developers", async ({ ctx, actor }) => {
    const { revoked } = await revokeTokensFor(ctx, actor, { developerId: text(form, "developerId") });
    return `${revoked} token(s) revoked.`;
  });
}

export async function revokeTokensAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin("/admin/tokens", async ({ ctx, actor }) => {
    const kind = text(form, "kind") === "developerId" ? "developerId" : "userSub";
    const { revoked } = await revokeTokensFor(ctx, actor, { [kind]: text(form, "identifier").trim() });
    return `${revoked} token(s) revoked.`;
  });
}

export async function revokeCredentialAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  const appId = text(form, "appId");
  return asAdmin(`/admin/apps/${appId}`, async ({ ctx, actor }) => {
    const credential = await revokeCredential(ctx, actor, appId, text(form, "credentialId"));
    return `Credential ${credential.clientId} revoked.`;
  });
}

export async function revokeAppTokensAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  const appId = text(form, "appId");
  return asAdmin(`/admin/apps/${appId}`, async ({ ctx, actor }) => `${(await revokeAppTokens(ctx, actor, appId)).revoked} token(s) revoked.`);
}

export async function setAppStatusAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  const appId = text(form, "appId");
  return asAdmin(`/admin/apps/${appId}`, async ({ ctx, actor }) => {
    const app = await updateAppSettings(ctx, actor, appId, { status: text(form, "status") });
    return `${app.name} is now ${app.status}.`;
  });
}

/** The settings form sends all three at once; an unticked box is absent from the form. */
export async function saveAppSettingsAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  const appId = text(form, "appId");
  return asAdmin(`/admin/apps/${appId}`, async ({ ctx, actor }) => {
    await updateAppSettings(ctx, actor, appId, {
      passwordGrantMode: text(form, "passwordGrantMode") || null,
      implicitEnabled: form.get("implicitEnabled") === "on",
      skipConsent: form.get("skipConsent") === "on",
      requirePushedAuthorizationRequests: form.get("requirePushedAuthorizationRequests") === "on",
      dpopBoundAccessTokens: form.get("dpopBoundAccessTokens") === "on",
      tokenExchangeIssuers: text(form, "tokenExchangeIssuers")
        .split(/[\s,]+/)
        .filter(Boolean),
    });
    return "Settings saved.";
  });
}

export async function decideSubscriptionAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin("/admin/approvals", async ({ ctx, actor }) => {
    const decision = text(form, "decision");
    const reason = text(form, "reason").trim();
    await decideSubscription(ctx, actor, text(form, "subscriptionId"), { decision, ...(reason ? { reason } : {}) });
    return `${text(form, "label")}: ${{ approve: "approved", reject: "rejected", revoke: "revoked" }[decision] ?? decision}.`;
  });
}

export async function createApiKeyAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin("/admin/api-keys", async ({ ctx, actor }) => {
    const key = await createAdminApiKey(ctx, actor, { name: text(form, "name") });
    return { message: `Key ${key.name} created.`, secret: { name: key.name, key: key.key } };
  });
}

export async function revokeApiKeyAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin("/admin/api-keys", async ({ ctx, actor }) => {
    await revokeAdminApiKey(ctx, actor, text(form, "keyId"));
    return `Key ${text(form, "label")} revoked.`;
  });
}

export async function deleteBotRuleAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin("/admin/bots", async ({ ctx, actor }) => {
    await deleteBotRule(ctx, actor, text(form, "ruleId"));
    return "Rule deleted.";
  });
}

export async function ruleFromDetectionAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  return asAdmin("/admin/bots", async ({ ctx, actor }) => {
    const rule = await ruleFromDetection(ctx, actor, text(form, "detectionId"), { scope: text(form, "scope"), action: text(form, "action") });
    return `Rule saved: ${rule.kind} ${rule.target} → ${rule.action}. Every instance applies it now.`;
  });
}

/** Deleting what an editor page shows leaves that page: back to the list. */
export async function deleteProductAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await asAdmin("/admin/products", async ({ ctx, actor }) => {
    await deleteProduct(ctx, actor, text(form, "id"));
    return "Product deleted.";
  });
  if (result?.ok) redirect("/admin/products");
  return result;
}

export async function deleteProxyAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  const result = await asAdmin("/admin/proxies", async ({ ctx, actor }) => {
    await deleteProxy(ctx, actor, text(form, "id"));
    return "Proxy deleted.";
  });
  if (result?.ok) redirect("/admin/proxies");
  return result;
}

/** Purges a proxy's cached answers (all, or under the path prefix typed in), on every instance. */
export async function purgeProxyCacheAction(_: ActionResult, form: FormData): Promise<ActionResult> {
  const id = text(form, "id");
  return asAdmin(`/admin/proxies/${id}`, async ({ ctx, actor }) => {
    const pathPrefix = text(form, "pathPrefix").trim();
    await purgeProxyCache(ctx, actor, id, pathPrefix ? { pathPrefix } : {});
    return pathPrefix ? `Cached answers under ${pathPrefix} purged on every instance.` : "All cached answers of this proxy purged on every instance.";
  });
}
